// Redis-backed services for the origin: object cache, counters, rate limits, search facet sets; all fail open.
import { Ratelimit } from "@upstash/ratelimit";
import { type Counters, createCounters } from "../../shared/counters/index.ts";
import {
  countedGuard,
  createDataCache,
  createRedisGuard,
  type DataCache,
  type RedisGuard,
  type RedisLog,
  redisClient,
} from "../../shared/datacache/index.ts";
import type { OriginConfig } from "../../shared/env/index.ts";
import type { SetReader } from "../../shared/search/index.ts";
import { SIGN_IN } from "../../shared/signin/index.ts";

// The breaker is isolate state on purpose: a dead Redis is skipped for a while, not waited on by every request.
// 150 ms: a cold isolate's first call may include a connection handshake.
const guard = createRedisGuard({ timeoutMs: 150, coolDownMs: 5_000 });

const redis = (config: OriginConfig) =>
  redisClient(config.UPSTASH_REDIS_REST_URL, config.UPSTASH_REDIS_REST_TOKEN);

/** `log`: the request's Redis accounting (see `c.get("redisLog")`), so its calls count against the page. */
export function dataCache(config: OriginConfig, log?: RedisLog): DataCache {
  return createDataCache({ redis: redis(config), guard: log ? countedGuard(guard, log) : guard });
}

// Search narrowing has its own breaker: it runs a script (EVAL), which a Redis without scripting refuses, and that
// refusal must not make the object cache and counters skip a Redis that serves them well.
const facetGuard = createRedisGuard({ timeoutMs: 150, coolDownMs: 5_000 });

/** The search facet sets, read through their breaker and counted in the request's Redis log. */
export function facetSets(
  config: OriginConfig,
  log: RedisLog,
): { redis: SetReader | null; guard: RedisGuard } {
  return { redis: redis(config), guard: countedGuard(facetGuard, log) };
}

export function counters(config: OriginConfig): Counters {
  return createCounters(redis(config), { guard });
}

/**
 * Code requests per client address (SIGN_IN in shared/signin). The per-address limit is counted in Postgres with
 * the code itself (shared/signin/store.ts), so it holds with Redis down; this one fails open like the others.
 */
export async function allowCodeRequest(
  config: OriginConfig,
  client: string,
): Promise<{ ok: boolean; reset: number }> {
  const redisClient = redis(config);
  if (!redisClient) return { ok: true, reset: 0 };
  const { requests, window } = SIGN_IN.perClient;
  const limiter = new Ratelimit({
    redis: redisClient,
    limiter: Ratelimit.slidingWindow(requests, window),
    prefix: "rl:code",
  });
  const verdict = await guard.call("ratelimit", () => limiter.limit(client));
  return verdict.ok ? { ok: verdict.value.success, reset: verdict.value.reset } : { ok: true, reset: 0 };
}

/** 10 writes per 10 s per client on write endpoints; a Redis outage lets requests through rather than refusing. */
export async function allowWrite(config: OriginConfig, who: string): Promise<{ ok: boolean; reset: number }> {
  const client = redis(config);
  if (!client) return { ok: true, reset: 0 };
  const limiter = new Ratelimit({
    redis: client,
    limiter: Ratelimit.slidingWindow(10, "10 s"),
    prefix: "rl:write",
  });
  const verdict = await guard.call("ratelimit", () => limiter.limit(who));
  return verdict.ok ? { ok: verdict.value.success, reset: verdict.value.reset } : { ok: true, reset: 0 };
}
