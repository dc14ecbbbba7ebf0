// Small checkers shared by the rule-document validators; each appends human messages to a list.

export type Obj = Record<string, unknown>;
export type Errors = string[];

// Characters never allowed in keys, variant and property names: controls, invisible and bidi marks, separators.
const BAD = "\\p{Cc}\\p{Cs}\\u200B\\u200C\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\uFEFF";
// A key segment starts with a letter, digit or symbol (so never `_`, which the admin API keeps for itself) and
// holds no whitespace or characters with a meaning in URLs, headers or the flags header (`; = , %`).
const SEGMENT = `[\\p{L}\\p{N}\\p{So}][^\\s${BAD}:;=,%/\\\\?#"'<>{}\\[\\]|^\`]{0,99}`;
export const KEY = new RegExp(`^${SEGMENT}(?::${SEGMENT}){0,7}$`, "u");
export const MAX_KEY = 200;
export const VARIANT = new RegExp(`^[^\\s${BAD};=,%.][^${BAD};=,%]{0,99}$`, "u");
export const PROPERTY = new RegExp(`^[^\\s${BAD}][^${BAD}]{0,99}$`, "u");
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
export const HOST = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*\.?$/i;
export const OPERATORS = new Set([
  "IN",
  "NOT_IN",
  "STR_CONTAINS",
  "STR_STARTS_WITH",
  "STR_ENDS_WITH",
  "NUM_EQ",
  "NUM_GT",
  "NUM_GTE",
  "NUM_LT",
  "NUM_LTE",
  "DATE_AFTER",
  "DATE_BEFORE",
  "SEMVER_EQ",
  "SEMVER_GT",
  "SEMVER_GTE",
  "SEMVER_LT",
  "SEMVER_LTE",
  "IN_CIDR",
  "REGEX",
  "PRESENT",
]);
export const FIELDS = new Set(["userId", "anonymousId", "tenantId", "country", "host", "ip", "currentTime"]);
export const MAX_LIST = 10_000;
export const MAX_DEPTH = 4;

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** A flag key: segments of letters, digits, symbols and `_ . - ~` in any script, joined by ":" (parent:child). */
export function isValidFlagKey(key: unknown): key is string {
  return typeof key === "string" && key.length <= MAX_KEY && KEY.test(key);
}

/** A context field a constraint, override or stickiness may name: built-in, `header:`, `cookie:` or `prop:`. */
export function isField(f: unknown): boolean {
  if (typeof f !== "string") return false;
  if (FIELDS.has(f)) return true;
  if (f.startsWith("prop:")) return PROPERTY.test(f.slice(5));
  return (f.startsWith("header:") || f.startsWith("cookie:")) && TOKEN.test(f.slice(7));
}

export const FIELD_HELP =
  "userId, anonymousId, tenantId, country, host, ip, currentTime, header:<name>, cookie:<name> or prop:<name>";

/** `default`, `random` or a context field other than currentTime. */
export function isStickiness(s: unknown): boolean {
  return s === "default" || s === "random" || (s !== "currentTime" && isField(s));
}

export function allowOnly(o: Obj, keys: readonly string[], path: string, errs: Errors): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) errs.push(`${at(path, k)} is not a known field`);
}

export function stringList(
  v: unknown,
  path: string,
  errs: Errors,
  check?: (s: string) => boolean,
  what?: string,
): void {
  if (!Array.isArray(v)) {
    errs.push(`${path} must be an array of strings`);
    return;
  }
  if (v.length > MAX_LIST) {
    errs.push(`${path} must have at most ${MAX_LIST} entries`);
    return;
  }
  for (const [i, s] of v.entries()) {
    if (typeof s !== "string" || s === "") errs.push(`${path}[${i}] must be a non-empty string`);
    else if (check && !check(s))
      errs.push(`${path}[${i}] must be ${what}: ${JSON.stringify(s).slice(0, 60)}`);
  }
}

export function optBool(o: Obj, key: string, path: string, errs: Errors): void {
  if (o[key] !== undefined && typeof o[key] !== "boolean")
    errs.push(`${at(path, key)} must be true or false`);
}

export const timeOk = (v: unknown): boolean =>
  (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && !Number.isNaN(Date.parse(v)));
export const timeOf = (v: unknown): number => (typeof v === "number" ? v : Date.parse(String(v)));
