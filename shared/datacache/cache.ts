// Redis object cache in front of the database: XFetch early refresh, serve-stale while one caller refreshes,
// single-flight (Redis lock + in-isolate), jittered TTLs, tag versions, fill-on-write, and fail-open on Redis.
import { log as logger } from "../log/index.ts";
import { decodeEnvelope, type Envelope, encodeEnvelope, sameVersions, toVersion } from "./envelope.ts";
import { createRedisGuard, type RedisGuard } from "./guard.ts";
import { jitterTtlMs } from "./jitter.ts";
import { createSingleFlight } from "./single-flight.ts";
import { shouldRefreshEarly } from "./xfetch.ts";

/** The part of @upstash/redis's `Redis` the cache uses; a real `Redis` instance satisfies it. */
export interface CacheRedis {
  mget<T extends unknown[]>(...keys: string[]): Promise<T>;
  set(key: string, value: string, opts: { px: number; nx: true } | { px: number }): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  incr(key: string): Promise<number>;
}

export interface DataCacheOptions {
  /** null = no Redis configured: every call just loads. */
  redis: CacheRedis | null;
  now?: () => number;
  random?: () => number;
  /** Budget per Redis call (ms); default 50. */
  timeoutMs?: number;
  /** Redis is skipped this long after a failure (ms); default 5000. */
  coolDownMs?: number;
  log?: (line: string) => void;
  /** Key namespace; default "dc:". */
  prefix?: string;
  /** How long a refresher holds the per-key lock (ms); should exceed a slow load. Default 5000. */
  lockMs?: number;
  /** How long a caller with nothing to serve waits for another caller's load before loading itself. Default 200. */
  waitMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Share one breaker with other Redis users (e.g. counters); by default the cache has its own. */
  guard?: RedisGuard;
}

export interface CachedOptions {
  /** Invalidation groups: `bump(tag)` makes every entry carrying the tag a miss. */
  tags?: readonly string[];
  /** How long past expiry a value may still be served while one caller refreshes; default = the TTL. */
  staleSeconds?: number;
  /** XFetch β; default 1. 0 turns early refresh off. */
  beta?: number;
  /** TTL jitter fraction; default 0.1. */
  jitter?: number;
  /** Workers `ctx.waitUntil`: the refreshing caller also gets the stale value and refreshes in the background. */
  waitUntil?: (promise: Promise<unknown>) => void;
}

export interface DataCache {
  cached<T>(key: string, ttlSeconds: number, load: () => Promise<T>, opts?: CachedOptions): Promise<T>;
  /** Fill-on-write: after a database write, store the new value instead of deleting (no miss, no herd). */
  set<T>(
    key: string,
    value: T,
    ttlSeconds: number,
    opts?: Omit<CachedOptions, "waitUntil">,
  ): Promise<boolean>;
  /** Invalidates every entry tagged `tag`; false if Redis could not be reached (entries then age out by TTL). */
  bump(tag: string): Promise<boolean>;
  delete(key: string): Promise<boolean>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createDataCache(opts: DataCacheOptions): DataCache {
  const { redis } = opts;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const log = opts.log ?? ((line: string) => logger.warn(line));
  const prefix = opts.prefix ?? "dc:";
  const lockMs = opts.lockMs ?? 5000;
  const pollMs = opts.pollMs ?? 20;
  const polls = Math.max(1, Math.ceil((opts.waitMs ?? 200) / pollMs));
  const sleep = opts.sleep ?? realSleep;
  const guard =
    opts.guard ?? createRedisGuard({ now, timeoutMs: opts.timeoutMs, coolDownMs: opts.coolDownMs, log });
  const flight = createSingleFlight();
  const dataKey = (key: string) => `${prefix}d:${key}`;
  const lockKey = (key: string) => `${prefix}l:${key}`;
  const tagKey = (tag: string) => `${prefix}t:${tag}`;

  /** The entry if present and not invalidated by a tag bump, plus the current tag versions. */
  async function read(r: CacheRedis, key: string, tags: readonly string[]) {
    const got = await guard.call("read", () => r.mget<unknown[]>(dataKey(key), ...tags.map(tagKey)));
    if (!got.ok) return null;
    const versions = got.value.slice(1).map(toVersion);
    const env = decodeEnvelope(got.value[0]);
    return { env: env && sameVersions(env.g, versions) ? env : null, versions };
  }

  async function store<T>(
    r: CacheRedis,
    key: string,
    value: T,
    deltaMs: number,
    ttl: number,
    o: CachedOptions,
    versions: number[],
  ) {
    const ttlMs = jitterTtlMs(ttl, random(), o.jitter ?? 0.1);
    const staleMs = Math.max(0, (o.staleSeconds ?? ttl) * 1000);
    const env: Envelope<T> = { v: value, d: deltaMs, x: now() + ttlMs, g: versions };
    const written = await guard.call("write", () =>
      r.set(dataKey(key), encodeEnvelope(env), { px: ttlMs + staleMs }),
    );
    return written.ok;
  }

  /** Loads, stores, releases the lock. The lock is released with a plain DEL (no Lua): if a load outlives lockMs
   * another caller may refresh too, which costs one extra load, never a wrong value. */
  async function refresh<T>(
    r: CacheRedis,
    key: string,
    ttl: number,
    load: () => Promise<T>,
    o: CachedOptions,
    versions: number[],
  ) {
    try {
      const started = now();
      const value = await load();
      await store(r, key, value, now() - started, ttl, o, versions);
      return value;
    } finally {
      await guard.call("unlock", () => r.del(lockKey(key)));
    }
  }

  async function lock(r: CacheRedis, key: string): Promise<"mine" | "busy" | "down"> {
    const got = await guard.call("lock", () => r.set(lockKey(key), String(now()), { px: lockMs, nx: true }));
    if (!got.ok) return "down";
    return got.value === "OK" ? "mine" : "busy";
  }

  async function resolve<T>(
    r: CacheRedis,
    key: string,
    ttl: number,
    load: () => Promise<T>,
    o: CachedOptions,
  ): Promise<T> {
    const tags = o.tags ?? [];
    const first = await read(r, key, tags);
    if (!first) return load();
    const { env, versions } = first;
    if (env) {
      const t = now();
      const fresh = t < env.x && !shouldRefreshEarly(t, env.d, env.x, random(), o.beta ?? 1);
      const stale = env.v as T;
      if (fresh) return stale;
      const owner = await lock(r, key);
      if (owner !== "mine") return stale;
      const refreshing = refresh(r, key, ttl, load, o, versions);
      const staleIfError = refreshing.catch((error: unknown) => {
        log(`datacache: refresh of ${key} failed, serving the stale value: ${String(error)}`);
        return stale;
      });
      if (!o.waitUntil) return staleIfError;
      o.waitUntil(staleIfError);
      return stale;
    }
    const owner = await lock(r, key);
    if (owner === "mine") return refresh(r, key, ttl, load, o, versions);
    if (owner === "busy") {
      // Someone else is loading and there is nothing stale to serve: wait briefly for their value.
      for (let i = 0; i < polls; i++) {
        await sleep(pollMs);
        const again = await read(r, key, tags);
        if (!again) break;
        if (again.env) return again.env.v as T;
      }
    }
    return load();
  }

  return {
    cached<T>(key: string, ttlSeconds: number, load: () => Promise<T>, o: CachedOptions = {}): Promise<T> {
      if (!redis) return flight(key, load);
      return flight(key, () => resolve(redis, key, ttlSeconds, load, o));
    },

    async set<T>(key: string, value: T, ttlSeconds: number, o: Omit<CachedOptions, "waitUntil"> = {}) {
      if (!redis) return false;
      const tags = o.tags ?? [];
      let versions: number[] = [];
      if (tags.length > 0) {
        const got = await guard.call("read", () => redis.mget<unknown[]>(...tags.map(tagKey)));
        if (!got.ok) return false;
        versions = got.value.map(toVersion);
      }
      return store(redis, key, value, 0, ttlSeconds, o, versions);
    },

    async bump(tag: string) {
      if (!redis) return false;
      const got = await guard.call("bump", () => redis.incr(tagKey(tag)));
      if (!got.ok) log(`datacache: could not bump tag ${tag}; its entries stay until their TTL`);
      return got.ok;
    },

    async delete(key: string) {
      if (!redis) return false;
      return (await guard.call("delete", () => redis.del(dataKey(key)))).ok;
    },
  };
}
