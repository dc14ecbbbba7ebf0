// The origin's Hono app: middleware wiring and route mounting; handlers live in routes/.
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { isReadOnlyViolation, mapDbError } from "../../shared/db/index.ts";
import { originConfig } from "../../shared/env/index.ts";
import { notFound, onError } from "../../shared/http/errors.ts";
import { readOnlyResponse } from "../../shared/readonly/respond.ts";
import type { OriginApp } from "./context.ts";
import { database, readOnlySwitch } from "./middleware/database.ts";
import { edgeContext } from "./middleware/edge-context.ts";
import { accountRoutes } from "./routes/account.tsx";
import { admin } from "./routes/admin.ts";
import { eventRoutes } from "./routes/events.tsx";
import { health } from "./routes/health.ts";
import { internal } from "./routes/internal.ts";
import { talkRoutes } from "./routes/talks.tsx";
import { testingRoutes } from "./routes/testing.ts";
import { uploadRoutes } from "./routes/uploads.ts";

export const app = new Hono<OriginApp>()
  .use(requestId())
  .use(secureHeaders())
  .use(async (c, next) => {
    c.set("config", originConfig(c.env));
    await next();
  })
  .use(edgeContext)
  .use(database)
  .route("/", health)
  .route("/", admin)
  .route("/", internal)
  .route("/", eventRoutes)
  .route("/", talkRoutes)
  .route("/", accountRoutes)
  .route("/", uploadRoutes)
  .route("/", testingRoutes)
  // Postgres refusing a write in read-only mode gets the same 503 the edge gives (Retry-After, HTML or JSON);
  // other database errors go through mapDbError, since drizzle's messages carry SQL and are never sent out.
  .onError(async (err, c) => {
    // An error answered before the body was read (401, 400…): release it, or workerd logs an uncaught error.
    const body = c.req.raw.body;
    if (body && !c.req.raw.bodyUsed) body.cancel().catch(() => {});
    if (isReadOnlyViolation(err)) {
      const res = readOnlyResponse(c.req.raw, await readOnlySwitch(c.get("config")).get());
      // Tells operators (and tests) the refusal came from Postgres itself, not from an HTTP-level check.
      res.headers.set("x-read-only-enforced-by", "database");
      return res;
    }
    return onError(mapDbError(err) as Error, c);
  })
  .notFound(notFound);
