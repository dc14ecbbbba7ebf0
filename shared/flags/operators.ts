// Compiles Unleash-style constraint operators into matchers; every parse happens here, once per snapshot.

import { cidrContains, parseCidr, parseIpCached } from "./cidr.ts";
import { compileRegex } from "./regex.ts";
import { regexMatches } from "./regex-match.ts";
import { compareSemver, parseSemver } from "./semver.ts";
import type { ContextField, EvalContext, Match } from "./types.ts";

export type Matcher = (ctx: EvalContext) => boolean;
export type Getter = (ctx: EvalContext) => string | null | undefined;

export function fieldGetter(field: ContextField): Getter {
  if (field.startsWith("header:")) {
    const name = field.slice(7).toLowerCase();
    return (ctx) => (ctx.headers ? ctx.headers(name) : undefined);
  }
  if (field.startsWith("cookie:")) {
    const name = field.slice(7);
    return (ctx) => (ctx.cookies ? ctx.cookies(name) : undefined);
  }
  if (field.startsWith("prop:")) {
    const name = field.slice(5);
    return (ctx) => (ctx.properties ? ctx.properties(name) : undefined);
  }
  switch (field) {
    case "userId":
      return (ctx) => ctx.userId;
    case "anonymousId":
      return (ctx) => ctx.anonymousId;
    case "tenantId":
      return (ctx) => ctx.tenantId;
    case "country":
      return (ctx) => ctx.country;
    case "host":
      return (ctx) => ctx.host;
    case "ip":
      return (ctx) => ctx.ip;
    case "currentTime":
      return (ctx) => new Date(ctx.now).toISOString();
  }
  throw new Error(`unknown field ${field}`);
}

function numberTest(op: string, target: number): (n: number) => boolean {
  switch (op) {
    case "NUM_EQ":
      return (n) => n === target;
    case "NUM_GT":
      return (n) => n > target;
    case "NUM_GTE":
      return (n) => n >= target;
    case "NUM_LT":
      return (n) => n < target;
    default:
      return (n) => n <= target;
  }
}

function semverTest(op: string, target: string): (cmp: number) => boolean {
  if (!parseSemver(target)) throw new Error(`invalid semver ${target}`);
  switch (op) {
    case "SEMVER_EQ":
      return (c) => c === 0;
    case "SEMVER_GT":
      return (c) => c > 0;
    case "SEMVER_GTE":
      return (c) => c >= 0;
    case "SEMVER_LT":
      return (c) => c < 0;
    default:
      return (c) => c <= 0;
  }
}

// Before `inverted` is applied.
function baseMatcher(m: Match, get: Getter): Matcher {
  const ci = m.caseInsensitive === true;
  // Unleash drops empty values and trims the rest.
  const values = (m.values ?? [])
    .filter((v) => v !== "")
    .map((v) => (ci ? v.trim().toLowerCase() : v.trim()));
  const op = m.operator;
  switch (op) {
    case "IN":
    case "NOT_IN": {
      const set = new Set(values);
      const want = op === "IN";
      return (ctx) => {
        const v = get(ctx);
        if (v == null) return !want;
        return set.has(ci ? v.toLowerCase() : v) === want;
      };
    }
    case "STR_CONTAINS":
    case "STR_STARTS_WITH":
    case "STR_ENDS_WITH": {
      const test =
        op === "STR_CONTAINS"
          ? (s: string, x: string) => s.includes(x)
          : op === "STR_STARTS_WITH"
            ? (s: string, x: string) => s.startsWith(x)
            : (s: string, x: string) => s.endsWith(x);
      return (ctx) => {
        const raw = get(ctx);
        if (raw == null) return false;
        const v = ci ? raw.toLowerCase() : raw;
        for (const x of values) if (test(v, x)) return true;
        return false;
      };
    }
    case "NUM_EQ":
    case "NUM_GT":
    case "NUM_GTE":
    case "NUM_LT":
    case "NUM_LTE": {
      const target = Number(m.value);
      if (Number.isNaN(target)) throw new Error(`invalid number ${m.value}`);
      const test = numberTest(op, target);
      return (ctx) => {
        const raw = get(ctx);
        if (raw == null) return false;
        const n = Number(raw);
        return !Number.isNaN(n) && test(n);
      };
    }
    case "DATE_AFTER":
    case "DATE_BEFORE": {
      const at = Date.parse(m.value ?? "");
      if (Number.isNaN(at)) throw new Error(`invalid date ${m.value}`);
      return op === "DATE_AFTER" ? (ctx) => ctx.now > at : (ctx) => ctx.now < at;
    }
    case "SEMVER_EQ":
    case "SEMVER_GT":
    case "SEMVER_GTE":
    case "SEMVER_LT":
    case "SEMVER_LTE": {
      const target = parseSemver(m.value ?? "");
      const test = semverTest(op, m.value ?? "");
      return (ctx) => {
        const raw = get(ctx);
        const v = raw == null ? null : parseSemver(raw);
        return v !== null && target !== null && test(compareSemver(v, target));
      };
    }
    case "IN_CIDR": {
      const cidrs = values.map((v) => {
        const c = parseCidr(v);
        if (!c) throw new Error(`invalid CIDR ${v}`);
        return c;
      });
      return (ctx) => {
        const raw = get(ctx);
        const ip = raw == null ? null : parseIpCached(raw);
        if (!ip) return false;
        for (const c of cidrs) if (cidrContains(c, ip)) return true;
        return false;
      };
    }
    case "REGEX": {
      const re = compileRegex(m.value ?? "", ci);
      return (ctx) => {
        const v = get(ctx);
        return v != null && regexMatches(re, v);
      };
    }
    case "PRESENT":
      return (ctx) => get(ctx) != null;
  }
  throw new Error(`unknown operator ${String(op)}`);
}

export function compileMatch(m: Match, get: Getter): Matcher {
  const base = baseMatcher(m, get);
  return m.inverted === true ? (ctx) => !base(ctx) : base;
}
