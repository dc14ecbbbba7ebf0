// The one guard for the JSON admin APIs (the CLIs' door): a bearer token compared in constant time.
import type { Context, Env, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { constantTimeEqual } from "../trust/index.ts";

/** `token` reads the configured admin token; an empty one refuses everyone rather than accepting an empty bearer. */
export function adminAuth<E extends Env = Env>(token: (c: Context<E>) => string): MiddlewareHandler<E> {
  return bearerAuth<E>({
    verifyToken: (given, c) => {
      const expected = token(c);
      return expected !== "" && constantTimeEqual(given, expected);
    },
  });
}
