// Cross-site request forgery: a cookie-authenticated change must come from the site's own pages (hono's csrf).

import { csrf } from "hono/csrf";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { OriginApp } from "../context.ts";

// Origin / Sec-Fetch-Site checks, not tokens: cached anonymous pages stay free of per-user values.
const check = csrf();

export const crossSiteGuard = createMiddleware<OriginApp>(async (c, next) => {
  // Bearer-token APIs (the CLIs) carry no cookie a browser could be tricked into sending.
  if (c.req.header("authorization")?.startsWith("Bearer ")) return next();
  try {
    await check(c, async () => {});
  } catch (e) {
    if (!(e instanceof HTTPException) || e.status !== 403) throw e;
    throw new HTTPException(403, {
      message:
        "This form was sent from another site, so it was refused. Submit it from this site's own page.",
    });
  }
  await next();
});
