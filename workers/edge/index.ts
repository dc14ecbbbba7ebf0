// The edge Worker's entry: every request enters here (the site's front door).
import "../../shared/http/z.ts";
import { ConfigError } from "../../shared/env/index.ts";
import { problemResponse } from "../../shared/http/index.ts";
import { log, setLogContext } from "../../shared/log/index.ts";
import { handle } from "./handle.ts";

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

export default {
  fetch: async (request, env, ctx) => {
    try {
      return await handle(request, env, ctx);
    } catch (e) {
      if (e instanceof ConfigError) return maintenance(request, e);
      throw e;
    }
  },
} satisfies ExportedHandler<EdgeEnv>;
