// Admin endpoints the edge serves itself (so they work with the origin down): read-only switch and cache purge.
import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import { type EdgeConfig, edgeConfig } from "../../shared/env/index.ts";
import { adminAuth, onError, requiredText } from "../../shared/http/index.ts";
import { readOnlyAdmin } from "../../shared/readonly/index.ts";
import { type EdgeIsolate, edgeIsolate } from "./isolate.ts";
import { noteWrite } from "./recent-write.ts";

type EdgeAdminApp = { Bindings: EdgeEnv; Variables: { config: EdgeConfig; isolate: EdgeIsolate } };

const httpUrl = z.string().check(
  z.maxLength(2048),
  z.refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), "must be an http(s) URL"),
);

const purgeBody = z.strictObject({
  tags: z.optional(
    z
      .array(requiredText(1024).check(z.refine((t) => !t.includes(","), "must be one tag (no commas)")))
      .check(z.maxLength(1_000)),
  ),
  urls: z.optional(z.array(httpUrl).check(z.maxLength(1_000))),
  // Soft by default (a copy stays for origin errors); hard also removes that copy (legal, privacy).
  hard: z.optional(z.boolean()),
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
