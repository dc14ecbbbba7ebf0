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
  headers.set(EDGE_CONTEXT_HEADER, await signEdgeContext(context, config.EDGE_SECRET));
  return config.bindings.ORIGIN.fetch(new Request(request, { headers }));
}

/** Who owns a session (RPC); the caller bounds it by what is left of the request's time. */
export function originLookup(config: EdgeConfig, sessionId: string): Promise<Identity | null> {
  return config.bindings.ORIGIN.identity(sessionId);
}
