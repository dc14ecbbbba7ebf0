// Compiles conditions into matcher closures holding Sets, parsed CIDRs and pre-hashed bucket prefixes.

import { cidrContains, parseCidr, parseIpCached } from "./cidr.ts";
import { murmurContinue, murmurPrefix } from "./murmur3.ts";
import { compileMatch, fieldGetter, type Matcher } from "./operators.ts";
import type { Condition, EvalContext, Stickiness } from "./types.ts";

/** A compiled condition; `split` marks a pseudorandom (percentage) decision, reported as reason SPLIT. */
export interface CompiledCondition {
  readonly test: Matcher;
  readonly split: boolean;
}

/** Unleash draws a fresh number for `random` stickiness (and for `default` with no id at all). */
const draw = (): string => String(Math.floor(Math.random() * 1e9));

export type SegmentTable = ReadonlyMap<string, CompiledCondition>;

const never: Matcher = () => false;
const always: Matcher = () => true;

/** The value a visitor is bucketed by; empty means "has none" (never in a partial rollout). */
export function stickyId(
  stickiness: Stickiness | undefined,
): (ctx: EvalContext) => string | null | undefined {
  if (stickiness === undefined || stickiness === "default") return (ctx) => ctx.userId || ctx.anonymousId;
  if (stickiness === "random") return draw;
  return fieldGetter(stickiness);
}

function percentage(c: Extract<Condition, { type: "percentage" }>, group: string): Matcher {
  const [lo, hi] = c.range ?? [0, c.percentage ?? 0];
  if (hi <= lo) return never;
  const id = stickyId(c.stickiness);
  if (lo <= 0 && hi >= 100) {
    // Everyone who has the sticky value. By default nobody needs one (Unleash falls back to a random draw, which
    // is always in at 100 %), but a rollout sticky on userId, a property… leaves out whoever lacks it.
    const s = c.stickiness;
    return s === undefined || s === "default" || s === "random" ? always : (ctx) => !!id(ctx);
  }
  const prefix = murmurPrefix(`${c.groupId ?? group}:`);
  return (ctx) => {
    const s = id(ctx);
    if (!s) return false;
    const bucket = (murmurContinue(prefix, s) % 100) + 1;
    return bucket > lo && bucket <= hi;
  };
}

function host(hosts: readonly string[]): Matcher {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const h of hosts) {
    const name = h.toLowerCase().replace(/\.$/, "");
    if (name.startsWith("*.")) suffixes.push(name.slice(1));
    else exact.add(name);
  }
  return (ctx) => {
    const h = ctx.host;
    if (!h) return false;
    if (exact.has(h)) return true;
    for (const s of suffixes) if (h.endsWith(s)) return true;
    return false;
  };
}

function all(parts: readonly CompiledCondition[]): Matcher {
  const tests = parts.map((p) => p.test);
  if (tests.length === 1 && tests[0]) return tests[0];
  return (ctx) => {
    for (const t of tests) if (!t(ctx)) return false;
    return true;
  };
}

/** Compiles every condition of an AND group (a segment or an `all`). */
export function compileAll(
  conds: readonly Condition[],
  group: string,
  segments: SegmentTable,
): CompiledCondition {
  const parts = conds.map((c) => compileCondition(c, group, segments));
  return { test: all(parts), split: parts.some((p) => p.split) };
}

function leaf(test: Matcher): CompiledCondition {
  return { test, split: false };
}

/**
 * Throws on a malformed condition; compile() turns that into an ERROR flag. `group` is what percentages without
 * their own groupId hash with: the flag's group (its key unless pinned), or a segment's name.
 */
export function compileCondition(c: Condition, group: string, segments: SegmentTable): CompiledCondition {
  switch (c.type) {
    case "users":
    case "tenants": {
      const ids = new Set(c.ids);
      return leaf(
        c.type === "users" ? (ctx) => ids.has(ctx.userId ?? "") : (ctx) => ids.has(ctx.tenantId ?? ""),
      );
    }
    case "tags": {
      const tags = new Set(c.tags);
      return leaf((ctx) => {
        const mine = ctx.tags;
        if (mine) for (const t of mine) if (tags.has(t)) return true;
        return false;
      });
    }
    case "percentage":
      return { test: percentage(c, group), split: true };
    case "ip": {
      const cidrs = c.cidrs.map((s) => {
        const parsed = parseCidr(s);
        if (!parsed) throw new Error(`invalid CIDR ${s}`);
        return parsed;
      });
      return leaf((ctx) => {
        const ip = ctx.ip ? parseIpCached(ctx.ip) : null;
        if (!ip) return false;
        for (const cidr of cidrs) if (cidrContains(cidr, ip)) return true;
        return false;
      });
    }
    case "country": {
      const set = new Set(c.countries.map((x) => x.toUpperCase()));
      return leaf((ctx) => !!ctx.country && (set.has(ctx.country) || set.has(ctx.country.toUpperCase())));
    }
    case "host":
      return leaf(host(c.hosts));
    case "header":
    case "cookie":
      return leaf(compileMatch(c, fieldGetter(`${c.type}:${c.name}`)));
    case "constraint":
      return leaf(compileMatch(c, fieldGetter(c.field)));
    case "time": {
      const from =
        c.from === undefined ? -Infinity : typeof c.from === "number" ? c.from : Date.parse(c.from);
      const until =
        c.until === undefined ? Infinity : typeof c.until === "number" ? c.until : Date.parse(c.until);
      if (Number.isNaN(from) || Number.isNaN(until)) throw new Error("invalid time window");
      return leaf((ctx) => ctx.now >= from && ctx.now < until);
    }
    case "segment": {
      const seg = segments.get(c.segment);
      if (!seg) throw new Error(`unknown segment ${c.segment}`);
      return seg;
    }
    case "all":
      return compileAll(c.conditions, group, segments);
  }
  throw new Error(`unknown condition type ${String((c as { type?: unknown }).type)}`);
}
