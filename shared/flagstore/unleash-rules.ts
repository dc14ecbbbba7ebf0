// Translates Unleash constraints, variants, context names and stickiness into this project's terms.
import {
  type Condition,
  type ContextField,
  compileRegex,
  MAX_PAYLOAD,
  type Payload,
  parseCidr,
  parseSemver,
  type Stickiness,
  VARIANT,
  type Variant,
} from "../flags/index.ts";
import type { UConstraint, UVariant } from "./unleash-source.ts";

/** Where a translation had to change something or leave something out: shown to whoever imports. */
export type Note = (message: string) => void;

/** Unleash's standard context fields map onto ours; every other name is a site property. */
export function fieldOf(contextName: string): ContextField {
  switch (contextName) {
    case "userId":
    case "currentTime":
      return contextName;
    case "sessionId":
      return "anonymousId";
    case "remoteAddress":
      return "ip";
    default:
      return `prop:${contextName}`;
  }
}

/** Unleash stickiness (`default`, `random`, a context name) as ours; undefined for the default. */
export function stickinessOf(s: string | undefined): Stickiness | undefined {
  if (!s || s === "default") return undefined;
  if (s === "random") return "random";
  return fieldOf(s) as Stickiness;
}

// Unleash drops empty entries and trims the rest.
const clean = (values: readonly string[] | undefined): string[] =>
  (values ?? []).filter((v) => v !== "").map((v) => v.trim());

const NUMERIC = new Set(["NUM_EQ", "NUM_GT", "NUM_GTE", "NUM_LT", "NUM_LTE"]);
const STRINGS = new Set(["STR_CONTAINS", "STR_STARTS_WITH", "STR_ENDS_WITH"]);
const SEMVER = new Set(["SEMVER_EQ", "SEMVER_GT", "SEMVER_GTE", "SEMVER_LT", "SEMVER_LTE"]);

/**
 * One constraint as a condition, or `true`/`false` when Unleash would answer the same for everyone (an unknown
 * operator, a value that cannot be parsed): the caller drops it, or drops its strategy.
 */
export function constraintOf(c: UConstraint, note: Note): Condition | boolean {
  const op = c.operator;
  const inverted = c.inverted === true;
  const name = `${c.contextName} ${op}`;
  // Unleash answers false for a constraint it cannot evaluate, and then applies `inverted`.
  const constant = (why: string): boolean => {
    note(`constraint ${name}: ${why}, so Unleash treats it as always ${inverted}; translated as such`);
    return inverted;
  };
  const base = {
    type: "constraint" as const,
    field: fieldOf(c.contextName),
    ...(inverted ? { inverted } : {}),
  };
  if (op === "IN" || op === "NOT_IN") return { ...base, operator: op, values: clean(c.values) };
  if (STRINGS.has(op))
    return {
      ...base,
      operator: op as "STR_CONTAINS",
      values: clean(c.values),
      ...(c.caseInsensitive ? { caseInsensitive: true } : {}),
    };
  const value = (c.value ?? "").trim();
  if (NUMERIC.has(op)) {
    if (value === "" || Number.isNaN(Number(value))) return constant(`"${value}" is not a number`);
    return { ...base, operator: op as "NUM_EQ", value };
  }
  if (op === "DATE_AFTER" || op === "DATE_BEFORE") {
    if (Number.isNaN(Date.parse(value))) return constant(`"${value}" is not a date`);
    return { ...base, operator: op, value };
  }
  if (SEMVER.has(op)) {
    // Unleash's semver library reads "v1.2.3" and "=1.2.3" as 1.2.3.
    const v = value.replace(/^[=v]+/, "");
    if (!parseSemver(v)) return constant(`"${value}" is not a semantic version`);
    return { ...base, operator: op as "SEMVER_EQ", value: v };
  }
  if (op === "IN_CIDR") {
    const values = clean(c.values);
    const good = values.filter((v) => parseCidr(v) !== null);
    for (const bad of values.filter((v) => parseCidr(v) === null))
      note(`constraint ${name}: "${bad}" is not an IP address or CIDR; left out (Unleash skips it too)`);
    return { ...base, operator: op, values: good };
  }
  if (op === "REGEX") {
    try {
      compileRegex(c.value ?? "", c.caseInsensitive === true);
    } catch (e) {
      return constant(`/${c.value ?? ""}/ is not an RE2 pattern (${(e as Error).message})`);
    }
    return {
      ...base,
      operator: op,
      value: c.value ?? "",
      ...(c.caseInsensitive ? { caseInsensitive: true } : {}),
    };
  }
  note(`constraint ${name}: unknown operator, which Unleash never matches; translated as never`);
  return false;
}

/** Every constraint of a strategy or segment: conditions to AND, or `false` when one of them can never hold. */
export function constraintsOf(cs: readonly UConstraint[], note: Note): Condition[] | false {
  const out: Condition[] = [];
  for (const c of cs) {
    const t = constraintOf(c, note);
    if (t === false) return false;
    if (t !== true) out.push(t);
  }
  return out;
}

const PAYLOAD_TYPES = new Set(["string", "json", "csv", "number"]);

function payloadOf(p: UVariant["payload"], note: Note): Payload | undefined {
  if (!p) return undefined;
  let type = p.type;
  if (!PAYLOAD_TYPES.has(type)) type = "string";
  else if (type === "number" && (p.value.trim() === "" || !Number.isFinite(Number(p.value)))) type = "string";
  else if (type === "json") {
    try {
      JSON.parse(p.value);
    } catch {
      type = "string";
    }
  }
  if (type !== p.type) note(`payload of type "${p.type}" does not hold a valid ${p.type}; kept as a string`);
  if (p.value.length > MAX_PAYLOAD || !p.value.isWellFormed()) {
    note(`payload longer than ${MAX_PAYLOAD} characters (payloads travel in a request header); left out`);
    return undefined;
  }
  return { type: type as Payload["type"], value: p.value };
}

/** A variant list; undefined when there is none (or all weigh 0, which Unleash treats as none). */
export function variantsOf(list: readonly UVariant[], note: Note): Variant[] | undefined {
  if (list.length === 0) return undefined;
  if (list.reduce((n, v) => n + Math.max(0, v.weight || 0), 0) <= 0) {
    note("variants all weigh 0, so Unleash serves none; left out");
    return undefined;
  }
  const names = new Set<string>();
  return list.map((v) => {
    let name = v.name.replace(/[;=,%\p{Cc}]/gu, "-").replace(/^[\s.]+/, "") || "variant";
    if (name === "on" || name === "off" || !VARIANT.test(name)) name = `${name.slice(0, 90)}-variant`;
    while (names.has(name)) name = `${name}-2`;
    if (name !== v.name)
      note(`variant "${v.name}" renamed "${name}" ("on", "off" and ; = , % are reserved here)`);
    names.add(name);
    const weight =
      Number.isInteger(v.weight) && v.weight >= 0 ? v.weight : Math.max(0, Math.round(v.weight || 0));
    const payload = payloadOf(v.payload, (m) => note(`variant "${name}": ${m}`));
    const users = v.overrides.filter((o) => o.contextName === "userId").flatMap((o) => o.values);
    const others = v.overrides
      .filter((o) => o.contextName !== "userId")
      .map((o) => ({ field: fieldOf(o.contextName), values: o.values.filter((x) => x !== "") }));
    return {
      name,
      weight,
      ...(payload ? { payload } : {}),
      ...(users.length ? { users } : {}),
      ...(others.length ? { overrides: others } : {}),
    };
  });
}
