// GET /healthz: primary, each replica (reachable, lag in bytes and seconds, in or out), Redis and the queue.
import { Redis } from "@upstash/redis/cloudflare";
import { Hono } from "hono";
import { toHealthz } from "../../../shared/db/index.ts";
import type { OriginApp } from "../context.ts";
import { healthProbe } from "../middleware/database.ts";

async function redisStatus(url: string | null, token: string | null) {
  if (!url || !token) return { ok: false, configured: false };
  const started = Date.now();
  try {
    const redis = new Redis({ url, token, retry: false, enableAutoPipelining: false });
    const pong = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout after 500 ms")), 500)),
    ]);
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
