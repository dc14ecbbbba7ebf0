// Public API of the edge HTTP cache (Lanyrd's Varnish on the Workers Cache API).
export { parseCacheControl, parseList } from "./cache-control.ts";
export {
  BYPASS_COOKIE,
  classifyRequest,
  FORWARD_ALWAYS,
  hasCookie,
  originRequest,
  type PassReason,
  type RequestClass,
} from "./classify.ts";
export {
  createEdgeCache,
  type EdgeCache,
  type EdgeCacheOptions,
  type HandleOptions,
  type PreparedRequest,
} from "./edge-cache.ts";
export { BYPASS_SET_COOKIE, type OriginFetch } from "./fill.ts";
export { DEFAULT_HOT, type HotOptions } from "./hot-cache.ts";
export type { EntryView, Inspection } from "./inspect.ts";
export { baseUrl, type CacheKey, cacheKey, isTrackingParam, keepKey, keepTag, urlTag } from "./key.ts";
export { DEFAULT_HEALTH, type HealthOptions } from "./origin-health.ts";
export {
  type CachePolicy,
  compilePolicy,
  DEFAULT_ROUTE_POLICY,
  type RouteMatcher,
  type RoutePolicy,
  type RouteRule,
} from "./policy.ts";
export type { CloudflarePurgeOptions, PurgeFetch, PurgeResult } from "./purge-cloudflare.ts";
export type { PurgeOptions } from "./purger.ts";
export type { FailureKind, FailureResponder } from "./respond.ts";
export { ageSeconds, CACHE_NAME, type CacheStatus, cacheStatus, type Forward, ttlLeft } from "./status.ts";
export { type NotStoredReason, type Storability, storability } from "./storability.ts";
