// One line per request (Disqus' PerformanceLogMiddleware): route, status, time, flags version and database work.
import { createMiddleware } from "hono/factory";
import { log } from "../../../shared/log/index.ts";
import type { OriginApp } from "../context.ts";

export const requestLog = createMiddleware<OriginApp>(async (c, next) => {
  const started = performance.now();
  try {
    await next();
  } finally {
    const queries = c.get("queryLog");
    log.info("request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      flags: c.get("edge")?.flagsVersion,
      db: queries?.summary() ?? [],
    });
  }
});
