// Calls to the origin over the service binding: pages over HTTP with the edge's signed context, the rest by RPC.
import type { EdgeConfig } from "../../shared/env/index.ts";
import type { Identity } from "../../shared/identity/index.ts";
import { EDGE_CONTEXT_HEADER, type EdgeContext, signEdgeContext } from "../../shared/trust/index.ts";

export async function fetchOrigin(
  config: EdgeConfig,
  request: Request,
  context: EdgeContext,
  extra?: Record<string, string>,
): Promise<Response> {
  const headers = new Headers(request.headers);
  for (const [k, v] of Object.entries(extra ?? {})) headers.set(k, v);
  headers.set(EDGE_CONTEXT_HEADER, await signEdgeContext(context, config.edgeKeys));
  return config.bindings.ORIGIN.fetch(new Request(request, { headers }));
}

/** Who owns a session; rejects (rather than answering "nobody") when the origin cannot tell in time. */
export function originLookup(config: EdgeConfig, sessionId: string): Promise<Identity | null> {
  const lookup = config.bindings.ORIGIN.identity(sessionId);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`identity lookup took over ${config.IDENTITY_TIMEOUT_MS} ms`)),
      config.IDENTITY_TIMEOUT_MS,
    );
  });
  return Promise.race([lookup, deadline]).finally(() => clearTimeout(timer));
}
