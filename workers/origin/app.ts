// The origin's Hono app: middleware wiring and route mounting; handlers live in routes/.
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { originConfig } from "../../shared/env";
import { notFound, onError } from "../../shared/http/errors";
import type { OriginApp } from "./context";
import { database } from "./middleware/database";
import { edgeContext } from "./middleware/edge-context";
import { eventRoutes } from "./routes/events";
import { health } from "./routes/health";
import { internal } from "./routes/internal";

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
  .route("/", internal)
  .route("/", eventRoutes)
  .onError(onError)
  .notFound(notFound);
