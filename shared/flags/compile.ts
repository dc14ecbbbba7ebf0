// Turns a snapshot into a precompiled, frozen form once; a bad document becomes an ERROR flag, never an exception.

import {
  type CompiledCondition,
  compileAll,
  compileCondition,
  type SegmentTable,
  stickyId,
} from "./conditions.ts";
import { type MurmurPrefix, murmurPrefix } from "./murmur3.ts";
import { fieldGetter, type Getter, type Matcher } from "./operators.ts";
import { errorResult, fixedResults, type Results, result } from "./results.ts";
import type { Condition, EvalContext, FlagDoc, FlagResult, Segment, Stickiness, Variant } from "./types.ts";
import { isValidFlagKey, validateFlag, validateSegment } from "./validate.ts";
import { requireCycles } from "./validate-snapshot.ts";

/** Unleash's seed for variant buckets, so variant assignment matches its SDKs. */
export const VARIANT_SEED = 86028157;

/** How a flag is decided: a fixed answer, on for everyone, or by its conditions. */
export const Kind = { Fixed: 0, On: 1, Selective: 2 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** Visitors whose field has one of the values get `result` (first listed variant wins, as in Unleash). */
export interface CompiledOverride {
  readonly get: Getter;
  readonly values: ReadonlySet<string>;
  readonly result: FlagResult;
}

export interface CompiledVariants {
  readonly prefix: MurmurPrefix;
  readonly total: number;
  readonly cumulative: readonly number[];
  readonly split: readonly FlagResult[];
  readonly overrides: readonly CompiledOverride[];
  readonly sticky: (ctx: EvalContext) => string | null | undefined;
  /** No sticky id: the first variant, keeping the reason that switched the flag on. */
  readonly first: {
    readonly STATIC: FlagResult;
    readonly TARGETING_MATCH: FlagResult;
    readonly SPLIT: FlagResult;
  };
}

export interface CompiledDependency {
  readonly index: number;
  readonly enabled: boolean;
  readonly variants: ReadonlySet<string> | null;
}

/** An include: its test, and the variants it serves instead of the flag's (null: the flag's). */
export interface CompiledInclude extends CompiledCondition {
  readonly variants: CompiledVariants | null;
}

export interface CompiledFlag {
  readonly key: string;
  readonly kind: Kind;
  /** The answer for Kind.Fixed (off, disabled parent, default, parse error). */
  readonly fixed: FlagResult;
  readonly excludes: readonly Matcher[];
  readonly includes: readonly CompiledInclude[];
  readonly requires: readonly CompiledDependency[];
  readonly variants: CompiledVariants | null;
  readonly r: Results;
  readonly cacheKey: boolean;
}

export interface CompiledFlags {
  readonly version: string;
  /** Dependencies come before their dependents, so evaluateAll can reuse earlier results. */
  readonly flags: readonly CompiledFlag[];
  readonly index: ReadonlyMap<string, number>;
  /** Positions of `cacheKey: true` flags, sorted by key so cache keys come out in a stable order. */
  readonly cacheKeyFlags: readonly number[];
  readonly defaults: ReadonlyMap<string, boolean>;
  /** Why documents were turned into ERROR flags, for logs and the admin UI. */
  readonly problems: readonly string[];
}

export interface CompileOptions {
  /** Flags declared in code with their value until a rule document is stored (reason DEFAULT). */
  defaults?: Readonly<Record<string, boolean>>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Variants bucketed by `murmur3("<group>:<sticky id>", VARIANT_SEED)`, as Unleash does with the feature name. */
function compileVariants(
  key: string,
  list: readonly Variant[] | undefined,
  group: string,
  stickiness: Stickiness | undefined,
  r: Results,
): CompiledVariants | null {
  if (!list || list.length === 0) return null;
  const cumulative: number[] = [];
  let total = 0;
  for (const v of list) {
    total += v.weight;
    cumulative.push(total);
  }
  const overrides: CompiledOverride[] = [];
  for (const v of list) {
    const forced = result(key, true, v.name, "TARGETING_MATCH", v.payload);
    if (v.users?.length)
      overrides.push({ get: fieldGetter("userId"), values: new Set(v.users), result: forced });
    for (const o of v.overrides ?? [])
      overrides.push({ get: fieldGetter(o.field), values: new Set(o.values), result: forced });
  }
  const head = list[0];
  const first = (reason: FlagResult["reason"]) =>
    result(key, true, head?.name ?? "on", reason, head?.payload);
  return {
    prefix: murmurPrefix(`${group}:`, VARIANT_SEED),
    total,
    cumulative,
    split: list.map((v) => result(key, true, v.name, "SPLIT", v.payload)),
    overrides,
    sticky: stickyId(stickiness),
    first: { STATIC: first(r.on.reason), TARGETING_MATCH: first("TARGETING_MATCH"), SPLIT: first("SPLIT") },
  };
}

function compileFlag(key: string, doc: FlagDoc, segments: SegmentTable, r: Results): CompiledFlag {
  const group = doc.groupId ?? key;
  const excludes: Matcher[] = [];
  const includes: CompiledInclude[] = [];
  for (const c of doc.conditions ?? []) {
    const compiled = compileCondition(c, group, segments);
    if (c.exclude === true) excludes.push(compiled.test);
    else {
      const served = compileVariants(key, c.variants, c.variantGroupId ?? group, c.variantStickiness, r);
      includes.push({ ...compiled, variants: served });
    }
  }
  const kind = doc.state === "on" ? Kind.On : doc.state === "selective" ? Kind.Selective : Kind.Fixed;
  return {
    key,
    kind,
    fixed: r.off,
    excludes,
    includes,
    requires: [],
    variants: compileVariants(key, doc.variants, group, doc.variantStickiness, r),
    r,
    cacheKey: doc.cacheKey === true,
  };
}

function fixedFlag(key: string, fixed: FlagResult, r: Results): CompiledFlag {
  const none: never[] = [];
  return {
    key,
    kind: Kind.Fixed,
    fixed,
    excludes: none,
    includes: none,
    requires: none,
    variants: null,
    r,
    cacheKey: false,
  };
}

function ancestors(key: string): string[] {
  const out: string[] = [];
  for (let i = key.lastIndexOf(":"); i > 0; i = key.lastIndexOf(":", i - 1)) out.push(key.slice(0, i));
  return out;
}

function compileSegments(raw: Obj, problems: string[]): Map<string, CompiledCondition> {
  const table = new Map<string, CompiledCondition>();
  for (const [name, seg] of Object.entries(raw)) {
    const errs = validateSegment(seg, `segments.${name}`);
    if (errs.length > 0) {
      problems.push(...errs);
      continue;
    }
    try {
      // A percentage inside a segment buckets by the segment's name: the same cohort in every flag.
      table.set(name, compileAll((seg as Segment).conditions as Condition[], name, table));
    } catch (e) {
      problems.push(`segments.${name}: ${e instanceof Error ? e.message : "cannot compile"}`);
    }
  }
  return table;
}

/** Compiles `{ version, flags, segments }`; anything malformed is reported in `problems`, never thrown. */
export function compile(snapshot: unknown, options: CompileOptions = {}): CompiledFlags {
  const problems: string[] = [];
  const snap = isObj(snapshot) ? snapshot : {};
  const version = typeof snap.version === "string" ? snap.version : "none";
  const rawFlags = isObj(snap.flags) ? snap.flags : {};
  if (!isObj(snapshot) || !isObj(snap.flags)) problems.push("snapshot has no flags object");
  const defaults = new Map<string, boolean>();
  for (const [k, v] of Object.entries(options.defaults ?? {})) defaults.set(k, v === true);
  const segments = compileSegments(isObj(snap.segments) ? snap.segments : {}, problems);

  const byKey = new Map<string, CompiledFlag>();
  const docs = new Map<string, FlagDoc>();
  const cycles = requireCycles(rawFlags as Record<string, FlagDoc>);
  for (const [key, doc] of Object.entries(rawFlags)) {
    const r = fixedResults(key, defaults.get(key) ?? false);
    const errs = isValidFlagKey(key) ? validateFlag(doc, `flags.${key}`) : [`flags.${key}: invalid key`];
    if (errs.length === 0 && cycles.has(key)) errs.push(`flags.${key}.requires forms a cycle`);
    if (errs.length > 0) {
      problems.push(...errs);
      byKey.set(key, fixedFlag(key, r.parseError, r));
      continue;
    }
    try {
      byKey.set(key, compileFlag(key, doc as FlagDoc, segments, r));
      docs.set(key, doc as FlagDoc);
    } catch (e) {
      problems.push(`flags.${key}: ${e instanceof Error ? e.message : "cannot compile"}`);
      byKey.set(key, fixedFlag(key, r.parseError, r));
    }
  }
  for (const [key, value] of defaults) {
    if (!byKey.has(key))
      byKey.set(key, fixedFlag(key, fixedResults(key, value).fallback, fixedResults(key, value)));
  }
  // Gargoyle: a stored ancestor switched off disables every descendant, whatever their own state.
  for (const [key, flag] of byKey) {
    if (flag.fixed === flag.r.parseError) continue;
    if (ancestors(key).some((a) => docs.get(a)?.state === "off"))
      byKey.set(key, { ...flag, kind: Kind.Fixed, fixed: flag.r.off });
  }

  // Topological order over `requires` (cycles were already turned into errors).
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const d of docs.get(key)?.requires ?? []) if (byKey.has(d.flag)) visit(d.flag);
    order.push(key);
  };
  for (const key of byKey.keys()) visit(key);
  const index = new Map(order.map((k, i) => [k, i]));
  const flags = order.map((key): CompiledFlag => {
    const flag = byKey.get(key) as CompiledFlag;
    const deps = docs.get(key)?.requires ?? [];
    if (flag.kind === Kind.Fixed || deps.length === 0) return flag;
    const requires = deps.map((d) => ({
      index: index.get(d.flag) ?? -1,
      enabled: d.enabled !== false,
      // Unleash: an empty list is no variant condition at all.
      variants: d.variants?.length ? new Set(d.variants) : null,
    }));
    return { ...flag, requires };
  });
  return Object.freeze({
    version,
    flags,
    index,
    cacheKeyFlags: flags
      .flatMap((f, i) => (f.cacheKey ? [i] : []))
      .sort((a, b) => ((flags[a]?.key ?? "") < (flags[b]?.key ?? "") ? -1 : 1)),
    defaults,
    problems,
  });
}

/** The result for a key that is neither stored nor declared in defaults (OpenFeature FLAG_NOT_FOUND). */
export function notFound(key: string): FlagResult {
  return errorResult(key, false, "FLAG_NOT_FOUND");
}
