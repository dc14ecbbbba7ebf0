// The origin's Hono app: middleware and mounting; platform routes in routes/, the site's in routes/examples/.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { timeout } from "hono/timeout";
import { isReadOnlyViolation, mapDbError } from "../../shared/db/index.ts";
import { originConfig } from "../../shared/env/index.ts";
import { reportError } from "../../shared/error-tracking/index.ts";
import { canonicalPath, notFound, onError } from "../../shared/http/index.ts";
import { readOnlyResponse } from "../../shared/readonly/index.ts";
import { consoleRoutes } from "./console/index.ts";
import type { OriginApp } from "./context.ts";
import { recordWrite } from "./middleware/auto-readonly.ts";
import { crossSiteGuard } from "./middleware/csrf.ts";
import { database } from "./middleware/database.ts";
import { edgeContext } from "./middleware/edge-context.ts";
import { requestLog } from "./middleware/request-log.ts";
import { accountRoutes } from "./routes/account.tsx";
import { admin } from "./routes/admin.ts";
import { devRoutes } from "./routes/dev.tsx";
import { exampleRoutes } from "./routes/examples/index.ts";
import { health } from "./routes/health.ts";
import { testingRoutes } from "./routes/testing.ts";
import { readOnlySwitch } from "./switches.ts";

/** Past the request budget the page gives up (the work may still finish): a 503 the edge passes on. */
const overBudget = () =>
  Object.assign(new HTTPException(503, { message: "The site took too long to answer this request." }), {
    retryAfter: 5,
  });

export const app = new Hono<OriginApp>()
  .use(requestId())
  .use(requestLog)
  .use(async (c, next) => {
    // The edge forwards canonical paths only; anything else did not come through it, or the two disagree.
    const path = new URL(c.req.url).pathname;
    const checked = canonicalPath(path);
    if (!checked.ok || checked.path !== path) {
      throw new HTTPException(400, { message: checked.ok ? "The path is not canonical." : checked.reason });
    }
    await next();
  })
  .use(secureHeaders())
  .use(async (c, next) => {
    c.set("config", originConfig(c.env));
    await next();
  })
  .use((c, next) => timeout(c.get("config").REQUEST_BUDGET_MS, overBudget)(c, next))
  .use(edgeContext)
  .use(crossSiteGuard)
  .use(database)
  .route("/", health)
  .route("/", admin)
  .route("/", consoleRoutes)
  // The site itself: the example's routes, to be replaced by a fork's own (docs/forking.md).
  .route("/", exampleRoutes)
  .route("/", accountRoutes)
  // Compiled out of deployed bundles (globalThis.__TEST_HOOKS__ is a build-time constant there).
  .route("/", globalThis.__TEST_HOOKS__ ? testingRoutes : new Hono<OriginApp>())
  .route("/", devRoutes)
  .onError(async (err, c) => {
    // A write the primary did not answer or refused counts towards automatic read-only (decision 026).
    recordWrite(c, err);
    // An error answered before the body was read (401, 400…): release it, or workerd logs an uncaught error.
    const body = c.req.raw.body;
    if (body && !c.req.raw.bodyUsed) body.cancel().catch(() => {});
    // Postgres refusing a write in read-only mode gets the same 503 the edge gives (Retry-After, HTML or JSON).
    if (isReadOnlyViolation(err)) {
      const res = readOnlyResponse(c.req.raw, await readOnlySwitch(c.get("config")).get());
      // Tells operators (and tests) the refusal came from Postgres itself, not from an HTTP-level check.
      res.headers.set("x-read-only-enforced-by", "database");
      return res;
    }
    // Bad input Postgres caught (22P02, 23503…) becomes a 4xx and an unreachable database a 503; never SQL.
    const mapped = mapDbError(err) as Error;
    // What nobody expected is a bug: Sentry and the grouped errors get it, with the request id the visitor sees.
    if (!(mapped instanceof HTTPException)) {
      reportError(mapped, {
        worker: "origin",
        requestId: c.get("requestId") ?? null,
        db: c.get("db")?.primary,
        waitUntil: (p) => c.executionCtx.waitUntil(p),
        flushEveryMs: c.get("config").ERROR_FLUSH_MS,
      });
    }
    return onError(mapped, c);
  })
  .notFound(notFound);
