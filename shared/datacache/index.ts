// Public API of Redis in the Workers: the object cache, the fail-open guard, and per-request call accounting.

export {
  type CachedOptions,
  type CacheRedis,
  createDataCache,
  type DataCache,
  type DataCacheOptions,
} from "./cache.ts";
export { countedGuard, decodeRedisLog, encodeRedisLog, type RedisCall, RedisLog } from "./calls.ts";
export { redisClient } from "./client.ts";
export { createRedisGuard, type GuardResult, type RedisGuard, type RedisGuardOptions } from "./guard.ts";
