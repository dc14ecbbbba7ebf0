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

/** Who owns a session (RPC); rejects when the origin cannot tell. The caller bounds it by the request's time. */
export async function originLookup(config: EdgeConfig, sessionId: string): Promise<Identity | null> {
  const answer = await config.bindings.ORIGIN.identity(sessionId);
  if ("unavailable" in answer) throw new Error(`identity lookup failed at the origin: ${answer.unavailable}`);
  return answer.user;
}
