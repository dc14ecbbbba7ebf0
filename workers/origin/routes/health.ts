// GET /healthz: primary, each replica (reachable, lag in bytes and seconds, in or out), Redis and the queue.
import { Hono } from "hono";
import { redisClient } from "../../../shared/datacache/index.ts";
import { toHealthz } from "../../../shared/db/index.ts";
import { withTimeout } from "../../../shared/deadline/index.ts";
import type { OriginApp } from "../context.ts";
import { healthProbe } from "../middleware/database.ts";

async function redisStatus(url: string | null, token: string | null) {
  const redis = redisClient(url, token, { autoPipelining: false });
  if (!redis) return { ok: false, configured: false };
  const started = Date.now();
  try {
    const pong = await withTimeout(redis.ping(), 500, { error: () => new Error("timeout after 500 ms") });
    return { ok: pong === "PONG", configured: true, ms: Date.now() - started };
  } catch (e) {
    return { ok: false, configured: true, error: e instanceof Error ? e.message : String(e) };
  }
}

export const health = new Hono<OriginApp>().get("/healthz", async (c) => {
  const config = c.get("config");
  const [snapshot, redis] = await Promise.all([
    healthProbe(config).measure(),
    redisStatus(config.UPSTASH_REDIS_REST_URL, config.UPSTASH_REDIS_REST_TOKEN),
  ]);
  const db = toHealthz(snapshot);
  const queue = { ok: typeof config.bindings.JOBS?.send === "function", binding: "JOBS" };
  const ok = db.primary.ok;
  return c.json({ ok, ...db, redis, queue, readOnly: c.get("edge").readOnly }, ok ? 200 : 503, {
    "cache-control": "no-store",
  });
});
