// Edge-only endpoints: session → identity lookups, and experiment exposures seen on cached pages.
import { and, eq, gt } from "drizzle-orm";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { sessions, users } from "../../../shared/db/schema.ts";
import { recordExposures } from "../../../shared/flagstore/exposures.ts";
import type { OriginApp } from "../context.ts";

const exposuresBody = z.object({
  exposures: z
    .array(
      z.object({
        flag: z.string().min(1).max(200),
        variant: z.string().min(1).max(100),
        subject: z.string().min(1).max(200),
      }),
    )
    .max(500),
});

export const internal = new Hono<OriginApp>()
  .use("/_internal/*", async (c, next) => {
    // Only the edge can sign the context; a forged or missing one reads as anonymous and gets nothing.
    if (!c.get("edgeSigned")) throw new HTTPException(403, { message: "edge only" });
    c.header("cache-control", "no-store");
    await next();
  })
  .get("/_internal/identity", async (c) => {
    const sessionId = c.req.header("x-session-id") ?? "";
    if (!sessionId || sessionId.length > 200)
      throw new HTTPException(400, { message: "x-session-id is required" });
    const rows = await c
      .get("db")
      .primary.select({ id: users.id, tags: users.tags, email: users.email })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, new Date())));
    const row = rows[0];
    if (!row) return c.json({ user: null });
    // What flags may target about this user (the edge's site properties read them): only what the origin knows.
    const properties = { emailDomain: row.email.slice(row.email.lastIndexOf("@") + 1).toLowerCase() };
    return c.json({ user: { id: row.id, tags: row.tags, properties } });
  })
  .post("/_internal/exposures", async (c) => {
    const parsed = exposuresBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success)
      throw new HTTPException(400, { message: "exposures must be a list of {flag, variant, subject}" });
    const recorded = await recordExposures(c.get("db").primary, parsed.data.exposures);
    return c.json({ recorded });
  });
