// The one guard for the JSON admin APIs (the CLIs' door): a bearer token compared in constant time.
// Hono's bearerAuth answers the same, but ships a token-hashing comparison this guard never uses (it costs the edge
// 1 KiB gzip).
import type { Context, Env, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { constantTimeEqual } from "../trust/index.ts";

// RFC 6750's b64token: what may follow "Bearer ".
const TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;

/** RFC 6750's answers: 401 without credentials or with a wrong token, 400 for a malformed Authorization header. */
function refuse(status: 400 | 401, challenge: string, message: string): never {
  throw new HTTPException(status, {
    res: new Response(message, { status, headers: { "WWW-Authenticate": challenge } }),
  });
}

/** `token` reads the configured admin token; an empty one refuses everyone rather than accepting an empty bearer. */
export function adminAuth<E extends Env = Env>(token: (c: Context<E>) => string): MiddlewareHandler<E> {
  return async (c, next) => {
    const header = c.req.header("Authorization");
    if (!header) refuse(401, 'Bearer realm=""', "Unauthorized");
    const given = /^bearer /i.test(header) ? header.slice(7).trimStart() : "";
    if (!TOKEN.test(given)) refuse(400, 'Bearer error="invalid_request"', "Bad Request");
    const expected = token(c);
    if (expected === "" || !constantTimeEqual(given, expected))
      refuse(401, 'Bearer error="invalid_token"', "Unauthorized");
    await next();
  };
}
