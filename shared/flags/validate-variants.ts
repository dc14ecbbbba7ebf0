// Validates variant lists (a flag's own, or a condition's served variants) and the hashing fields around them.
import {
  allowOnly,
  at,
  type Errors,
  FIELD_HELP,
  isField,
  isObj,
  isStickiness,
  type Obj,
  stringList,
  VARIANT,
} from "./validate-util.ts";

/** Payloads travel to the origin inside the signed edge context, so they are kept small. */
export const MAX_PAYLOAD = 1024;
const PAYLOAD_TYPES = ["string", "json", "csv", "number"];

function validatePayload(p: unknown, path: string, errs: Errors): void {
  if (!isObj(p)) {
    errs.push(`${path} must be { type, value }`);
    return;
  }
  allowOnly(p, ["type", "value"], path, errs);
  if (typeof p.type !== "string" || !PAYLOAD_TYPES.includes(p.type))
    errs.push(`${at(path, "type")} must be one of ${PAYLOAD_TYPES.join(", ")}`);
  if (typeof p.value !== "string" || p.value.length > MAX_PAYLOAD || !p.value.isWellFormed()) {
    errs.push(`${at(path, "value")} must be a string of at most ${MAX_PAYLOAD} characters`);
    return;
  }
  if (p.type === "number" && (p.value.trim() === "" || !Number.isFinite(Number(p.value))))
    errs.push(`${at(path, "value")} must be a number`);
  if (p.type === "json") {
    try {
      JSON.parse(p.value);
    } catch {
      errs.push(`${at(path, "value")} must be valid JSON`);
    }
  }
}

function validateOverrides(v: unknown, path: string, errs: Errors): void {
  if (!Array.isArray(v)) {
    errs.push(`${path} must be an array`);
    return;
  }
  for (const [i, o] of v.entries()) {
    const p = `${path}[${i}]`;
    if (!isObj(o)) {
      errs.push(`${p} must be { field, values }`);
      continue;
    }
    allowOnly(o, ["field", "values"], p, errs);
    if (!isField(o.field)) errs.push(`${at(p, "field")} must be ${FIELD_HELP}`);
    stringList(o.values, at(p, "values"), errs);
  }
}

export function validateVariants(v: unknown, path: string, errs: Errors): void {
  if (!Array.isArray(v)) {
    errs.push(`${path} must be an array`);
    return;
  }
  const seen = new Set<string>();
  let total = 0;
  for (const [i, x] of v.entries()) {
    const p = `${path}[${i}]`;
    if (!isObj(x)) {
      errs.push(`${p} must be an object`);
      continue;
    }
    allowOnly(x, ["name", "weight", "payload", "users", "overrides"], p, errs);
    if (typeof x.name !== "string" || !VARIANT.test(x.name) || x.name === "on" || x.name === "off") {
      errs.push(`${p}.name must be 1-100 characters without ; = , % or a leading dot (not "on"/"off")`);
    } else if (seen.has(x.name)) errs.push(`${p}.name "${x.name}" is used twice`);
    else seen.add(x.name);
    if (typeof x.weight !== "number" || !Number.isInteger(x.weight) || x.weight < 0 || x.weight > 1_000_000) {
      errs.push(`${p}.weight must be an integer 0..1000000`);
    } else total += x.weight;
    if (x.payload !== undefined) validatePayload(x.payload, `${p}.payload`, errs);
    if (x.users !== undefined) stringList(x.users, `${p}.users`, errs);
    if (x.overrides !== undefined) validateOverrides(x.overrides, `${p}.overrides`, errs);
  }
  if (v.length > 0 && total === 0) errs.push(`${path} weights must not all be 0`);
}

/** `variants`, `variantStickiness` and a group id field (`groupId` on a flag, `variantGroupId` on a condition). */
export function validateServed(o: Obj, path: string, errs: Errors, groupField: string): void {
  if (o.variants !== undefined) validateVariants(o.variants, at(path, "variants"), errs);
  if (o.variantStickiness !== undefined && !isStickiness(o.variantStickiness))
    errs.push(`${at(path, "variantStickiness")} must be default, random or ${FIELD_HELP}`);
  const g = o[groupField];
  if (g !== undefined && (typeof g !== "string" || g === "" || g.length > 200))
    errs.push(`${at(path, groupField)} must be a non-empty string`);
}
