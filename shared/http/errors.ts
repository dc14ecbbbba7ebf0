// The one error path: HTTPExceptions become clear 4xx/503 answers; anything else a safe 500 without a stack trace.

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { log } from "../log/index.ts";
import { problemResponse } from "./problem.ts";

const TITLES: Record<number, string> = {
  400: "That request is not valid",
  401: "Please sign in",
  403: "Not allowed",
  404: "Not found",
  409: "Already done",
  413: "Too large",
  429: "Slow down",
  503: "Temporarily unavailable",
  504: "That took too long",
};

const CODES: Record<number, string> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "too_large",
  429: "rate_limited",
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function onError(err: Error, c: Context): Response {
  const requestId = c.get("requestId" as never) as string | undefined;
  const accept = c.req.header("accept");
  if (err instanceof HTTPException) {
    // An exception built around a ready Response (e.g. 503 read-only with Retry-After) is sent as is.
    if (err.res) return err.res;
    const status = err.status;
    const unavailable = status >= 500;
    const retryAfter = (err as { retryAfter?: unknown }).retryAfter;
    return problemResponse(accept, {
      status,
      code: unavailable ? "unavailable" : (CODES[status] ?? "bad_request"),
      title: TITLES[status] ?? (unavailable ? "Temporarily unavailable" : "Something is not right"),
      message: err.message || "Request failed",
      requestId,
      retryAfter: typeof retryAfter === "number" ? retryAfter : unavailable ? 5 : undefined,
      // A write that failed this way may or may not have been saved; the site's writes are safe to repeat.
      retrySafe: unavailable && !SAFE_METHODS.has(c.req.method),
    });
  }
  log.error("unhandled", { requestId, route: c.req.routePath, error: err });
  return problemResponse(accept, {
    status: 500,
    code: "internal",
    title: "Server error",
    message: "Something went wrong on our side. Please try again.",
    requestId,
  });
}

export function notFound(c: Context): Response {
  const res = problemResponse(c.req.header("accept"), {
    status: 404,
    code: "not_found",
    title: "Not found",
    message: `There is nothing at ${c.req.method} ${c.req.path}.`,
  });
  // A missing page is cacheable for a short while (it is the same for everyone).
  res.headers.set("cache-control", "public, max-age=60");
  return res;
}
