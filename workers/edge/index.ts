// The edge Worker's entry: every request enters here (the site's front door).
import "../../shared/http/z.ts";
import { ConfigError, edgeConfig } from "../../shared/env/index.ts";
import { problemResponse } from "../../shared/http/index.ts";
import { errorFields, log, setLogContext } from "../../shared/log/index.ts";
import { handle } from "./handle.ts";
import { REQUEST_ID_HEADER, requestIds } from "./request-id.ts";

setLogContext({ worker: "edge" });

/** A Worker deployed without its secrets or with a bad var: a maintenance page, not Cloudflare's error 1101. */
function maintenance(request: Request, error: ConfigError): Response {
  // The reason is for the operator (Workers logs), never for the visitor.
  log.error("misconfigured", { reason: error.message });
  return problemResponse(request.headers.get("accept"), {
    status: 503,
    code: "maintenance",
    title: "Down for maintenance",
    message: "The site is being set up or updated and will be back shortly.",
    retryAfter: 300,
  });
}

/**
 * A bug at the edge: a safe 500 with the request id, reported through the origin (the edge's budget has no room for
 * an error-reporting SDK, and its errors are rare).
 */
function unexpected(
  request: Request,
  env: EdgeEnv,
  ctx: ExecutionContext,
  error: unknown,
  requestId: string,
) {
  log.error("unhandled", { requestId, error });
  const { errorType, error: message, stack } = errorFields(error);
  const report = { type: errorType, message, stack: stack ?? "", requestId };
  ctx.waitUntil(
    edgeConfig(env)
      .bindings.ORIGIN.reportError(report)
      .catch((e: unknown) => log.warn("error report failed", { requestId, error: e })),
  );
  const res = problemResponse(request.headers.get("accept"), {
    status: 500,
    code: "internal",
    title: "Server error",
    message: "Something went wrong on our side. Please try again.",
    requestId,
  });
  res.headers.set(REQUEST_ID_HEADER, requestId);
  return res;
}

export default {
  fetch: async (request, env, ctx) => {
    const ids = requestIds(request);
    try {
      return await handle(request, env, ctx, ids);
    } catch (e) {
      if (e instanceof ConfigError) return maintenance(request, e);
      return unexpected(request, env, ctx, e, ids.get());
    }
  },
} satisfies ExportedHandler<EdgeEnv>;
