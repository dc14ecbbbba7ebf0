// The origin's Hono app: middleware wiring and route mounting; handlers live in routes/.
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { originConfig } from "../../shared/env";
import { notFound, onError } from "../../shared/http/errors";
import { EDGE_CONTEXT_HEADER, type EdgeContext, verifyEdgeContext } from "../../shared/trust";
import type { OriginApp } from "./context";
import { requestDb } from "./db";
import { health } from "./routes/health";
import { pages } from "./routes/pages";

const anonymous: EdgeContext = { user: null, anonymousId: null, flags: "", flagsVersion: "none", readOnly: false };

export const app = new Hono<OriginApp>()
  .use(requestId())
  .use(secureHeaders())
  .use(async (c, next) => {
    const config = originConfig(c.env);
    c.set("config", config);
    // Identity and flags are believed only when the edge signed them; anything else is an anonymous request.
    const edge = await verifyEdgeContext(c.req.header(EDGE_CONTEXT_HEADER), config.EDGE_SECRET);
    c.set("edge", edge ?? anonymous);
    c.set("db", requestDb(config));
    await next();
  })
  .route("/", health)
  .route("/", pages)
  .onError(onError)
  .notFound(notFound);
