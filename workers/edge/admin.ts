// Admin endpoints the edge serves itself (so they work with the origin down): read-only switch and cache purge.
import { Hono } from "hono";
import { z } from "zod";
import { type EdgeConfig, edgeConfig } from "../../shared/env/index.ts";
import { adminAuth, onError, plainText } from "../../shared/http/index.ts";
import { readOnlyAdmin } from "../../shared/readonly/admin.ts";
import { type EdgeIsolate, edgeIsolate } from "./isolate.ts";
import { noteWrite } from "./recent-write.ts";

type EdgeAdminApp = { Bindings: EdgeEnv; Variables: { config: EdgeConfig; isolate: EdgeIsolate } };

const httpUrl = z
  .string()
  .max(2048)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), "must be an http(s) URL");

const purgeBody = z.strictObject({
  tags: z
    .array(
      plainText(1024)
        .pipe(z.string().min(1))
        .refine((t) => !t.includes(","), "must be one tag (no commas)"),
    )
    .max(1_000)
    .optional(),
  urls: z.array(httpUrl).max(1_000).optional(),
  // Soft by default (a copy stays for origin errors); hard also removes that copy (legal, privacy).
  hard: z.boolean().optional(),
});

export const EDGE_ADMIN_PATHS = ["/_admin/readonly", "/_admin/purge"];

export const edgeAdmin = new Hono<EdgeAdminApp>()
  .use(async (c, next) => {
    const config = edgeConfig(c.env);
    c.set("config", config);
    c.set("isolate", edgeIsolate(config));
    await next();
  })
  .route(
    "/",
    readOnlyAdmin<EdgeAdminApp>(
      (c) => c.get("isolate").readOnly,
      (c) => c.get("config").ADMIN_TOKEN,
    ),
  )
  .use(
    "/_admin/purge",
    adminAuth<EdgeAdminApp>((c) => c.get("config").ADMIN_TOKEN),
  )
  .post("/_admin/purge", async (c) => {
    const parsed = purgeBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join(".") || "body";
      return c.json({ error: "bad_request", message: `${where}: ${issue?.message ?? "invalid"}` }, 400);
    }
    const { tags = [], urls = [], hard = false } = parsed.data;
    const cache = c.get("isolate").cache;
    const [byTag, byUrl] = await Promise.all([
      cache.purgeTags(tags, { hard }),
      cache.purgeUrls(urls, { hard }),
    ]);
    // Whatever was purged changed just now: refills in the next seconds read the primary, not a lagging replica.
    noteWrite(null);
    return c.json({ tags: byTag, urls: byUrl });
  })
  .onError(onError);
