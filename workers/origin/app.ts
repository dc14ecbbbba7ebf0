// The origin's Hono app: middleware wiring and route mounting; handlers live in routes/.
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { mapDbError } from "../../shared/db";
import { originConfig } from "../../shared/env";
import { notFound, onError } from "../../shared/http/errors";
import type { OriginApp } from "./context";
import { database } from "./middleware/database";
import { edgeContext } from "./middleware/edge-context";
import { accountRoutes } from "./routes/account";
import { admin } from "./routes/admin";
import { eventRoutes } from "./routes/events";
import { health } from "./routes/health";
import { internal } from "./routes/internal";
import { talkRoutes } from "./routes/talks";
import { testingRoutes } from "./routes/testing";
import { uploadRoutes } from "./routes/uploads";

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
  // Database errors first become clear answers (read-only → 503); drizzle's messages carry SQL, never sent out.
  .onError((err, c) => onError(mapDbError(err) as Error, c))
  .notFound(notFound);
