// Admin endpoints the edge serves itself (so they work with the origin down): read-only switch, cache purge and inspect.
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import { readGrant } from "../../shared/console/index.ts";
import { type EdgeConfig, edgeConfig } from "../../shared/env/index.ts";
import { adminAuth, onError, parseQuery, requiredText } from "../../shared/http/index.ts";
import { log } from "../../shared/log/index.ts";
import { READ_ONLY_ADMIN_PATH, readOnlyAdmin } from "../../shared/readonly/index.ts";
import {
  callBoard,
  OBJECT_WRITE_TIMEOUT_MS,
  SwitchboardUnavailable,
} from "../../shared/switchboard/index.ts";
import { type EdgeIsolate, edgeIsolate } from "./isolate.ts";
import { noteWrite } from "./recent-write.ts";

type EdgeAdminApp = {
  Bindings: EdgeEnv;
  Variables: { config: EdgeConfig; isolate: EdgeIsolate; actor: string };
};

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

const inspectQuery = z.object({ url: httpUrl });

export const EDGE_ADMIN_PATHS = ["/_admin/readonly", "/_admin/purge", "/_admin/cache"];

/**
 * The admin token (CLIs), or a console grant: the console's page hands the operator's browser a short-lived grant
 * so that purges and looks at the cache are requests of their own, never ones that came through Access (where
 * Workers get no Cache API; decision 027).
 */
const tokenOrGrant = createMiddleware<EdgeAdminApp>(async (c, next) => {
  const bearer = c.req.header("authorization")?.replace(/^Bearer\s+/i, "");
  const grant = await readGrant(bearer, c.get("config").edgeKeys);
  if (grant) {
    c.set("actor", grant.actor);
    return next();
  }
  c.set("actor", c.req.header("x-actor")?.slice(0, 100) || "admin");
  return adminAuth<EdgeAdminApp>((cc) => cc.get("config").ADMIN_TOKEN)(c, next);
});

export const edgeAdmin = new Hono<EdgeAdminApp>()
  .use(async (c, next) => {
    const config = edgeConfig(c.env);
    c.set("config", config);
    c.set("isolate", edgeIsolate(config));
    await next();
    // Which copy this location used last: the switchboard, its cached copy, or KV (the switchboard unreachable).
    if (c.req.path === READ_ONLY_ADMIN_PATH) c.header("x-switch-source", c.get("isolate").switches.source());
  })
  .route(
    "/",
    readOnlyAdmin<EdgeAdminApp>(
      (c) => c.get("isolate").readOnly,
      (c) => c.get("config").ADMIN_TOKEN,
    ),
  )
  // One probe of the primary now, when the site is read-only by itself (operators; tests drive recovery with it).
  .post(
    `${READ_ONLY_ADMIN_PATH}/probe`,
    adminAuth<EdgeAdminApp>((c) => c.get("config").ADMIN_TOKEN),
    async (c) => {
      try {
        const board = c.get("config").bindings.SWITCHBOARD;
        return c.json(await callBoard(board, (b) => b.probe(), OBJECT_WRITE_TIMEOUT_MS));
      } catch (error) {
        if (!(error instanceof SwitchboardUnavailable)) throw error;
        throw new HTTPException(503, { message: error.message });
      }
    },
  )
  .use("/_admin/purge", tokenOrGrant)
  .use("/_admin/cache", tokenOrGrant)
  .get("/_admin/cache", async (c) => {
    const { url } = parseQuery(c, inspectQuery);
    c.header("cache-control", "no-store");
    return c.json(await c.get("isolate").cache.inspect(url));
  })
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
    log.info("purge", { actor: c.get("actor"), tags, urls, hard });
    return c.json({ tags: byTag, urls: byUrl });
  })
  .onError(onError);
