// Rate limit for write endpoints (per user, else per client address); 429 with Retry-After when exceeded.
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { OriginApp } from "../context.ts";
import { allowWrite } from "../services.ts";

export const writeLimit = createMiddleware<OriginApp>(async (c, next) => {
  const user = c.get("edge").user;
  const who = user
    ? `user:${user.id}`
    : `ip:${c.req.header("cf-connecting-ip") ?? c.get("edge").anonymousId ?? "unknown"}`;
  const verdict = await allowWrite(c.get("config"), who);
  if (!verdict.ok) {
    const retryAfter = Math.max(1, Math.ceil((verdict.reset - Date.now()) / 1000));
    throw new HTTPException(429, {
      res: new Response(
        JSON.stringify({ error: "rate_limited", message: "Too many writes; try again shortly.", retryAfter }),
        {
          status: 429,
          headers: {
            "content-type": "application/json",
            "retry-after": String(retryAfter),
            "cache-control": "no-store",
          },
        },
      ),
    });
  }
  await next();
});
