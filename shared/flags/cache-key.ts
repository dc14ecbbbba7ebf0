// Which evaluated flags split the anonymous edge cache key, so flagged pages stay cacheable per variant.

import type { CompiledFlags } from "./compile.ts";
import type { EvaluatedFlags } from "./types.ts";

/** `flag:<key>` → variant for the flags marked `cacheKey: true`, in a stable order. */
export function cacheKeyVariants(compiled: CompiledFlags, evaluated: EvaluatedFlags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of compiled.cacheKeyFlags) {
    const key = compiled.flags[i]?.key;
    const at = key === undefined ? undefined : evaluated.index.get(key);
    const r = at === undefined ? undefined : evaluated.results[at];
    if (key !== undefined && r) out[`flag:${key}`] = r.variant;
  }
  return out;
}

/** The same as one string (`flag:a=on&flag:b=b`, sorted), ready to append to a cache key; "" when none. */
export function cacheKeySuffix(compiled: CompiledFlags, evaluated: EvaluatedFlags): string {
  const parts = Object.entries(cacheKeyVariants(compiled, evaluated)).map(([k, v]) => `${k}=${v}`);
  return parts.sort().join("&");
}
