// Redis-set narrowing (Lanyrd's pattern): one set of document ids per facet value, intersected with one SINTER
// before the ranked query, so Postgres ranks only the candidates. Any doubt about the sets means "ask SQL".

/**
 * Every set written by replaceSets carries this member. A set that exists without it was never built whole, and
 * an intersection without it means at least one of the sets is missing (never built, or lost with Redis):
 * either way the answer cannot be trusted and the facets are filtered in SQL instead.
 */
export const READY_MEMBER = "_";

/**
 * One round trip: the size of the intersection first (SINTERCARD stops counting at the limit), and the members
 * only when there are fewer than ARGV[1]; otherwise nil, and nothing large crosses the network. Shipping tens of
 * thousands of ids to Postgres costs more than letting it filter the facets itself (see the search decision).
 * (In a Redis cluster every key of one call must share a hash slot; Upstash and a single Redis have no slots.)
 */
export const NARROW_SCRIPT = `local args = { #KEYS }
for i = 1, #KEYS do args[i + 1] = KEYS[i] end
args[#args + 1] = 'LIMIT'
args[#args + 1] = ARGV[1]
if redis.call('SINTERCARD', unpack(args)) >= tonumber(ARGV[1]) then return false end
return redis.call('SINTER', unpack(KEYS))`;

/** The part of @upstash/redis's `Redis` narrowing uses; a real `Redis` instance satisfies it. */
export interface SetReader {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

/** A bounded Redis call (datacache's RedisGuard satisfies it): a slow or dead Redis is skipped, not waited on. */
export interface CallGuard {
  call<T>(
    label: string,
    run: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; reason: "open" | "timeout" | "error" }>;
}

export type Narrowing =
  /** The candidate documents (possibly none): trusted, so SQL need not filter these facets again. */
  | { readonly status: "narrowed"; readonly members: readonly string[] }
  | {
      readonly status: "skipped";
      readonly reason: "no-redis" | "not-built" | "too-broad" | "open" | "timeout" | "error";
    };

/** Above this many candidates the facets are filtered in SQL (measured: bench/search.ts). */
export const MAX_CANDIDATES = 5_000;

/** `sf:topic:caching`; values are encoded so any string makes one bounded, unambiguous key. */
export function facetKey(prefix: string, facet: string, value: string): string {
  return `${prefix}${facet}:${encodeURIComponent(value)}`;
}

/** `t:42`: documents of several kinds share one set. */
export function docMember(kind: string, id: number): string {
  return `${kind}:${id}`;
}

/** Members grouped by kind, ids as numbers; anything else (the ready marker, junk) is left out. */
export function groupMembers(members: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of members) {
    const match = /^([a-z]+):([1-9][0-9]{0,9})$/.exec(m);
    if (!match?.[1] || !match[2]) continue;
    const list = out.get(match[1]) ?? [];
    list.push(Number(match[2]));
    out.set(match[1], list);
  }
  return out;
}

/** Exactly one Redis call (the script above over every key). */
export async function narrowByFacets(
  redis: SetReader | null,
  guard: CallGuard,
  keys: readonly [string, ...string[]],
  maxCandidates = MAX_CANDIDATES,
): Promise<Narrowing> {
  if (!redis) return { status: "skipped", reason: "no-redis" };
  // The limit counts the ready marker too: more than maxCandidates documents means at least max + 2 members.
  const limit = String(maxCandidates + 2);
  const got = await guard.call("narrow", () => redis.eval(NARROW_SCRIPT, [...keys], [limit]));
  if (!got.ok) return { status: "skipped", reason: got.reason };
  if (!Array.isArray(got.value)) return { status: "skipped", reason: "too-broad" };
  const members = got.value.filter((m): m is string => typeof m === "string");
  if (!members.includes(READY_MEMBER)) return { status: "skipped", reason: "not-built" };
  return { status: "narrowed", members: members.filter((m) => m !== READY_MEMBER) };
}
