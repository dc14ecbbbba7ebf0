// Write-behind counters (views, clicks): HINCRBY into Redis on the hot path, drained to Postgres in one
// statement by a scheduled flush. A batch is moved aside (RENAMENX) before it is applied and deleted only after
// the database accepted it, so a failed flush loses nothing and new increments never mix into it.

import { createRedisGuard, type RedisGuard } from "../datacache/index.ts";
import { log as logger } from "../log/index.ts";
import { BATCH_FIELD, parseCounts, totalOf } from "./counts.ts";

/** The part of @upstash/redis's `Redis` the counters use; a real `Redis` instance satisfies it. */
export interface CountersRedis {
  hincrby(key: string, field: string, increment: number): Promise<number>;
  hgetall<T extends Record<string, unknown>>(key: string): Promise<T | null>;
  hsetnx(key: string, field: string, value: string): Promise<0 | 1>;
  renamenx(source: string, destination: string): Promise<0 | 1>;
  exists(...keys: string[]): Promise<number>;
  del(...keys: string[]): Promise<number>;
  set(key: string, value: string, opts: { px: number; nx: true } | { px: number }): Promise<unknown>;
}

export interface CountersOptions {
  log?: (line: string) => void;
  /** Hot-path budget per HINCRBY (ms); default 50. */
  timeoutMs?: number;
  coolDownMs?: number;
  /** Share a breaker with the data cache; by default the counters have their own. */
  guard?: RedisGuard;
  /**
   * Called when Redis cannot take an increment (e.g. a direct `UPDATE … + by`). Without it the increment is
   * dropped and logged: these counts are approximate, and turning every page view into a database write during
   * a Redis outage would load the database exactly when the cache in front of it is gone.
   */
  onUnavailable?: (name: string, id: string, by: number) => Promise<void> | void;
  /** How long one drain may hold the per-counter lock (ms); default 60 000. */
  lockMs?: number;
  prefix?: string;
}

export type DrainResult =
  | { status: "empty" }
  | { status: "busy" }
  | { status: "applied"; batches: number; ids: number; total: number };

/** Applies one batch; must throw if the database did not take it. `batchId` repeats if a batch is retried. */
export type ApplyCounts = (counts: Map<string, number>, batchId: string) => Promise<void>;

export interface Counters {
  /** true if Redis took it; false if it went to onUnavailable or was dropped. */
  incr(name: string, id: string | number, by?: number): Promise<boolean>;
  drain(name: string, apply: ApplyCounts): Promise<DrainResult>;
  /** Increments dropped in this isolate since start (no onUnavailable, Redis down). */
  dropped(): number;
}

export function createCounters(redis: CountersRedis | null, opts: CountersOptions = {}): Counters {
  const log = opts.log ?? ((line: string) => logger.warn(line));
  const guard =
    opts.guard ?? createRedisGuard({ timeoutMs: opts.timeoutMs, coolDownMs: opts.coolDownMs, log });
  const prefix = opts.prefix ?? "ctr:";
  const lockMs = opts.lockMs ?? 60_000;
  let dropped = 0;
  const keys = (name: string) => ({
    pending: `${prefix}${name}`,
    inflight: `${prefix}${name}:inflight`,
    lock: `${prefix}${name}:lock`,
  });

  async function unavailable(name: string, id: string, by: number): Promise<boolean> {
    if (opts.onUnavailable) {
      await opts.onUnavailable(name, id, by);
      return false;
    }
    dropped++;
    if (dropped === 1 || dropped % 1000 === 0)
      log(`counters: Redis unavailable, dropped ${dropped} increment(s) so far`);
    return false;
  }

  /** Moves pending → inflight unless a batch is already in flight (a previous flush failed or crashed). */
  async function takeBatch(
    r: CountersRedis,
    k: ReturnType<typeof keys>,
  ): Promise<"leftover" | "taken" | "none"> {
    if ((await r.exists(k.inflight)) > 0) return "leftover";
    if ((await r.exists(k.pending)) === 0) return "none";
    // Only HINCRBY writes pending and only a lock holder renames it, so it cannot vanish in between.
    await r.renamenx(k.pending, k.inflight);
    return "taken";
  }

  return {
    dropped: () => dropped,

    async incr(name, id, by = 1) {
      if (!Number.isSafeInteger(by)) throw new TypeError(`counters.incr: by must be an integer, got ${by}`);
      if (by === 0) return true;
      if (!redis) return unavailable(name, String(id), by);
      const got = await guard.call("hincrby", () => redis.hincrby(keys(name).pending, String(id), by));
      return got.ok ? true : unavailable(name, String(id), by);
    },

    async drain(name, apply) {
      if (!redis) return { status: "empty" };
      const k = keys(name);
      const token = crypto.randomUUID();
      if ((await redis.set(k.lock, token, { px: lockMs, nx: true })) !== "OK") return { status: "busy" };
      const result = { batches: 0, ids: 0, total: 0 };
      try {
        // A leftover batch goes first (same batch id as before); then the increments that came in since.
        for (let pass = 0; pass < 2; pass++) {
          const taken = await takeBatch(redis, k);
          if (taken === "none") break;
          await redis.hsetnx(k.inflight, BATCH_FIELD, `${name}:${token}`);
          const { counts, batchId } = parseCounts(await redis.hgetall(k.inflight));
          if (counts.size > 0) await apply(counts, batchId ?? `${name}:${token}`);
          await redis.del(k.inflight);
          result.batches++;
          result.ids += counts.size;
          result.total += totalOf(counts);
          if (taken === "taken") break;
        }
      } finally {
        await redis.del(k.lock).catch(() => {});
      }
      return result.batches === 0 ? { status: "empty" } : { status: "applied", ...result };
    },
  };
}
