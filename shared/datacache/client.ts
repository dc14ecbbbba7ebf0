// The one place a Redis client is built: Upstash's REST client for a configured URL and token.
import { Redis } from "@upstash/redis/cloudflare";

/**
 * null when either is missing: Redis is optional and every caller fails open without it. The client never retries
 * on its own; the caller's guard (guard.ts) decides how long Redis may take. `autoPipelining: false` for a call
 * that must be timed alone (the health check's PING).
 */
export function redisClient(
  url: string | null | undefined,
  token: string | null | undefined,
  opts: { autoPipelining?: boolean } = {},
): Redis | null {
  if (!url || !token) return null;
  return new Redis({
    url,
    token,
    retry: false,
    ...(opts.autoPipelining === false ? { enableAutoPipelining: false } : {}),
  });
}
