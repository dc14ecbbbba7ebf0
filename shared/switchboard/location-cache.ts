// One copy of the switches per location (the Cache API), shared by its isolates: at most about one request per
// location per SWITCH_CACHE_MS reaches the object. A lease keeps the isolates that find it stale from all asking.
import { SITE } from "../site/index.ts";
import { parseSwitches, type Switches, switchesKey } from "./switches.ts";

/** A named cache of its own: page purges (by URL, tag or everything) never touch it, nor it them. */
export const SWITCH_CACHE_NAME = `${SITE.name}:switchboard`;
const KEY_URL = `https://switchboard.${SITE.name}.internal/switches`;
const FETCHED_AT = "x-switchboard-fetched-at";
const LEASE_UNTIL = "x-switchboard-lease-until";
const KEY = "x-switchboard-key";
/** "1" when the copy came from the object itself, not from KV's fallback (which carries no purges). */
const FROM_OBJECT = "x-switchboard-from-object";
/** How long a location keeps a copy at all (the Cache API drops it after): a fallback older than fresh. */
const KEEP_S = 60;

export type CacheVerdict = "fresh" | "leased" | "stale";

/**
 * Pure. Fresh within `cacheMs` of being fetched; past that, "leased" while the isolate that found it stale fetches
 * a new one (others keep using this copy meanwhile), else "stale": the caller takes the lease and fetches.
 */
export function cacheVerdict(
  entry: { fetchedAt: number; leaseUntil: number },
  now: number,
  cacheMs: number,
): CacheVerdict {
  if (now - entry.fetchedAt < cacheMs) return "fresh";
  return now < entry.leaseUntil ? "leased" : "stale";
}

export interface LocationCache {
  /** The location's copy, null when it has none; "stale" means this caller now holds the lease and must refresh. */
  take(
    now: number,
    held: Switches | null,
  ): Promise<{ verdict: CacheVerdict; switches: Switches; fromObject: boolean } | null>;
  /** `fromObject`: read from the object now, rather than pieced together from KV's fallback copies. */
  store(switches: Switches, now: number, fromObject: boolean): Promise<void>;
}

export type LocationCacheOptions = {
  cacheMs: number;
  /** How long the lease holder may take (its object call's deadline) before another isolate tries. */
  leaseMs: number;
  open?: () => Promise<Cache>;
};

export function createLocationCache(opts: LocationCacheOptions): LocationCache {
  const open = opts.open ?? (() => caches.open(SWITCH_CACHE_NAME));
  let cache: Promise<Cache> | null = null;
  const get = () => {
    cache ??= open();
    return cache;
  };

  async function put(switches: Switches, fetchedAt: number, leaseUntil: number, fromObject: boolean) {
    const headers = {
      "content-type": "application/json",
      "cache-control": `max-age=${KEEP_S}`,
      [FETCHED_AT]: String(fetchedAt),
      [LEASE_UNTIL]: String(leaseUntil),
      [KEY]: switchesKey(switches),
      [FROM_OBJECT]: fromObject ? "1" : "0",
    };
    await (await get()).put(KEY_URL, new Response(JSON.stringify(switches), { headers }));
  }

  return {
    async take(now, held) {
      const res = await (await get()).match(KEY_URL);
      if (!res) return null;
      const fetchedAt = Number(res.headers.get(FETCHED_AT)) || 0;
      const leaseUntil = Number(res.headers.get(LEASE_UNTIL)) || 0;
      const fromObject = res.headers.get(FROM_OBJECT) === "1";
      // The usual case: the location has what this isolate holds, and the body need not be parsed.
      let switches: Switches | null;
      if (held !== null && res.headers.get(KEY) === switchesKey(held)) {
        await res.body?.cancel();
        switches = held;
      } else {
        switches = parseSwitches(await res.json().catch(() => null));
      }
      if (switches === null) return null;
      const verdict = cacheVerdict({ fetchedAt, leaseUntil }, now, opts.cacheMs);
      if (verdict === "stale") await put(switches, fetchedAt, now + opts.leaseMs, fromObject);
      return { verdict, switches, fromObject };
    },
    store: (switches, now, fromObject) => put(switches, now, 0, fromObject),
  };
}
