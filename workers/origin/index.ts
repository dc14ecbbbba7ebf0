// The origin Worker's entry: the Hono app for pages, plus RPC methods only the edge's service binding can call.

import "../../shared/http/z.ts";
import { WorkerEntrypoint } from "cloudflare:workers";
import { withSentry } from "@sentry/cloudflare";
import { originConfig } from "../../shared/env/index.ts";
import { sentryOptions } from "../../shared/error-tracking/index.ts";
import { setLogContext } from "../../shared/log/index.ts";
import type { ErrorReport, ExposureRow, OriginRpc } from "../../shared/trust/index.ts";
import { app } from "./app.ts";
import { edgeError, edgeExposures, identityOf } from "./rpc.ts";

// The switchboard Durable Object lives in this Worker (docs/decisions/025-switchboard-durable-object.md).
// biome-ignore lint/style/noRestrictedImports: the Durable Object class imports cloudflare:workers, so it stays out of the barrel
export { Switchboard } from "../../shared/switchboard/object.ts";

setLogContext({ worker: "origin" });

class Origin extends WorkerEntrypoint<OriginEnv> implements OriginRpc {
  override fetch(request: Request): Promise<Response> {
    return Promise.resolve(app.fetch(request, this.env, this.ctx));
  }

  identity(sessionId: string) {
    return identityOf(originConfig(this.env), sessionId);
  }

  recordExposures(rows: ExposureRow[]) {
    return edgeExposures(originConfig(this.env), rows);
  }

  async reportError(report: ErrorReport) {
    edgeError(originConfig(this.env), report, (p) => this.ctx.waitUntil(p));
  }
}

/** Sentry's options from the validated config; a Worker with a bad config reports nothing (it answers 503). */
function sentryFor(env: OriginEnv) {
  try {
    return sentryOptions(originConfig(env));
  } catch {
    return undefined;
  }
}

export default withSentry(sentryFor, Origin);
