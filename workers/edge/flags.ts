// Flag evaluation at the edge: once per request, folded into the cache key, forwarded signed to the origin.
import type { CompiledFlags } from "../../shared/flags";
import {
  cacheKeyVariants,
  contextFromRequest,
  type EvaluatedFlags,
  evaluateAll,
  type FlagResult,
} from "../../shared/flags";
import type { Identity } from "../../shared/identity";

export interface EdgeFlags {
  all: EvaluatedFlags;
  /** `flag:<key>` → variant for flags that change anonymous pages: part of the cache key. */
  keyParts: Record<string, string>;
  /** Only the cache-key flags: what a cacheable request may tell the origin, so the page depends on the key alone. */
  keyed: EvaluatedFlags;
}

export function evaluateAtEdge(
  compiled: CompiledFlags,
  request: Request,
  who: { user: Identity | null; anonymousId: string | null },
): EdgeFlags {
  const ctx = contextFromRequest(request, {
    userId: who.user ? String(who.user.id) : undefined,
    anonymousId: who.anonymousId ?? undefined,
    tags: who.user?.tags,
  });
  const all = evaluateAll(compiled, ctx);
  const keyParts = cacheKeyVariants(compiled, all);
  const results: FlagResult[] = [];
  const index = new Map<string, number>();
  for (const r of all.results) {
    if (keyParts[`flag:${r.key}`] === undefined) continue;
    index.set(r.key, results.length);
    results.push(r);
  }
  return { all, keyParts, keyed: { version: all.version, results, index, subject: null } };
}

/**
 * Experiments that split a cached page and that the page says it showed (its `x-flags-exposed` header, stored with
 * it): the edge records those exposures, since the origin never sees cache hits.
 */
export function keyedExposures(flags: EdgeFlags, shown: ReadonlySet<string>): FlagResult[] {
  if (shown.size === 0) return [];
  return flags.keyed.results.filter(
    (r) => shown.has(r.key) && r.reason === "SPLIT" && r.variant !== "on" && r.variant !== "off",
  );
}
