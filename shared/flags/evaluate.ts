// The hot path: decides flags against a request context, handing out precompiled results and never throwing.

import { type CompiledFlag, type CompiledFlags, type CompiledVariants, Kind, notFound } from "./compile.ts";
import { murmurContinue } from "./murmur3.ts";
import type { EvalContext, EvaluatedFlags, FlagResult } from "./types.ts";

function withVariant(v: CompiledVariants | null, ctx: EvalContext, base: FlagResult): FlagResult {
  if (v === null) return base;
  const overrides = v.overrides;
  for (let j = 0; j < overrides.length; j++) {
    const o = overrides[j];
    const value = o?.get(ctx);
    if (value != null && o?.values.has(value)) return o.result;
  }
  const id = v.sticky(ctx);
  if (!id)
    return base.reason === "STATIC"
      ? v.first.STATIC
      : base.reason === "SPLIT"
        ? v.first.SPLIT
        : v.first.TARGETING_MATCH;
  // Unleash: bucket in 1..total, first variant whose running weight reaches it.
  const target = (murmurContinue(v.prefix, id) % v.total) + 1;
  const cumulative = v.cumulative;
  for (let j = 0; j < cumulative.length; j++) {
    if ((cumulative[j] ?? 0) >= target) return v.split[j] ?? base;
  }
  return base;
}

function decide(c: CompiledFlags, f: CompiledFlag, ctx: EvalContext, memo: FlagResult[] | null): FlagResult {
  for (const d of f.requires) {
    // Unleash: a dependency on a flag that does not exist is never satisfied.
    if (d.index < 0) return f.r.off;
    const dep = memo?.[d.index] ?? evalAt(c, d.index, ctx, memo);
    const on = dep.value && (!d.enabled || d.variants === null || d.variants.has(dep.variant));
    if (on !== d.enabled) return f.r.off;
  }
  if (f.kind === Kind.On) return withVariant(f.variants, ctx, f.r.on);
  const excludes = f.excludes;
  for (let j = 0; j < excludes.length; j++) if (excludes[j]?.(ctx)) return f.r.excluded;
  const includes = f.includes;
  for (let j = 0; j < includes.length; j++) {
    const inc = includes[j];
    if (inc?.test(ctx))
      return withVariant(inc.variants ?? f.variants, ctx, inc.split ? f.r.split : f.r.match);
  }
  return f.r.noMatch;
}

function evalAt(c: CompiledFlags, i: number, ctx: EvalContext, memo: FlagResult[] | null): FlagResult {
  const f = c.flags[i];
  if (f === undefined) return notFound(String(i));
  if (f.kind === Kind.Fixed) return f.fixed;
  try {
    return decide(c, f, ctx, memo);
  } catch {
    return f.r.general;
  }
}

/** One flag; unknown keys give ERROR/FLAG_NOT_FOUND with value false. */
export function evaluate(compiled: CompiledFlags, key: string, ctx: EvalContext): FlagResult {
  try {
    const i = compiled.index.get(key);
    return i === undefined ? notFound(key) : evalAt(compiled, i, ctx, null);
  } catch {
    return notFound(key);
  }
}

/** Every stored or code-declared flag, once per request; dependencies are evaluated once and reused. */
export function evaluateAll(compiled: CompiledFlags, ctx: EvalContext): EvaluatedFlags {
  const flags = compiled.flags;
  const results = new Array<FlagResult>(flags.length);
  for (let i = 0; i < flags.length; i++) results[i] = evalAt(compiled, i, ctx, results);
  return {
    version: compiled.version,
    results,
    index: compiled.index,
    subject: ctx.userId || ctx.anonymousId || null,
  };
}

/** Only the flags at `positions`, in that order, each decided exactly as evaluateAll would decide it. */
export function evaluatePositions(
  compiled: CompiledFlags,
  positions: readonly number[],
  ctx: EvalContext,
): FlagResult[] {
  const out = new Array<FlagResult>(positions.length);
  for (let j = 0; j < positions.length; j++) out[j] = evalAt(compiled, positions[j] ?? -1, ctx, null);
  return out;
}
