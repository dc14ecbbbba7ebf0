// Which evaluated flags split the anonymous edge cache key, so flagged pages stay cacheable per variant.

import type { CompiledFlags } from "./compile.ts";
import type { EvaluatedFlags, FlagResult } from "./types.ts";

function resultAt(compiled: CompiledFlags, evaluated: EvaluatedFlags, i: number): FlagResult | undefined {
  // Results straight from evaluateAll share the compiled positions; others are looked up by key.
  if (evaluated.index === compiled.index) return evaluated.results[i];
  const key = compiled.flags[i]?.key;
  const at = key === undefined ? undefined : evaluated.index.get(key);
  return at === undefined ? undefined : evaluated.results[at];
}

/** `flag:<key>` → variant for the flags marked `cacheKey: true`, in key order. */
export function cacheKeyVariants(compiled: CompiledFlags, evaluated: EvaluatedFlags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of compiled.cacheKeyFlags) {
    const r = resultAt(compiled, evaluated, i);
    if (r) out[`flag:${r.key}`] = r.variant;
  }
  return out;
}

/** The same as one string (`flag:a=on&flag:b=b`, sorted by key) to append to a cache key; "" when none. */
export function cacheKeySuffix(compiled: CompiledFlags, evaluated: EvaluatedFlags): string {
  let out = "";
  for (const i of compiled.cacheKeyFlags) {
    const r = resultAt(compiled, evaluated, i);
    if (r) out += `${out === "" ? "" : "&"}flag:${r.key}=${r.variant}`;
  }
  return out;
}
