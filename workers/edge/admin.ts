// Admin endpoints the edge serves itself (so they work with the origin down): read-only switch and cache purge.
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { z } from "zod";
import { type EdgeConfig, edgeConfig } from "../../shared/env/index.ts";
import { onError } from "../../shared/http/errors.ts";
import { readOnlyAdmin } from "../../shared/readonly/admin.ts";
import { type EdgeIsolate, edgeIsolate } from "./isolate.ts";
import { noteWrite } from "./recent-write.ts";

type EdgeAdminApp = { Bindings: EdgeEnv; Variables: { config: EdgeConfig; isolate: EdgeIsolate } };

const purgeBody = z.strictObject({
  tags: z.array(z.string().min(1).max(1024)).max(1_000).optional(),
  urls: z.array(z.string().url()).max(1_000).optional(),
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
  .use("/_admin/purge", (c, next) => bearerAuth({ token: c.get("config").ADMIN_TOKEN })(c as never, next))
  .post("/_admin/purge", async (c) => {
    const parsed = purgeBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success)
      return c.json({ error: "bad_request", message: parsed.error.issues[0]?.message }, 400);
    const { tags = [], urls = [] } = parsed.data;
    const cache = c.get("isolate").cache;
    const [byTag, byUrl] = await Promise.all([cache.purgeTags(tags), cache.purgeUrls(urls)]);
    // Whatever was purged changed just now: refills in the next seconds read the primary, not a lagging replica.
    noteWrite(null);
    return c.json({ tags: byTag, urls: byUrl });
  })
  .onError(onError);
