// Calls to the origin over the service binding, always carrying the edge's signed context.
import type { EdgeConfig } from "../../shared/env/index.ts";
import type { Identity } from "../../shared/identity/index.ts";
import { EDGE_CONTEXT_HEADER, type EdgeContext, signEdgeContext } from "../../shared/trust/index.ts";

const NOBODY: EdgeContext = {
  user: null,
  anonymousId: null,
  flags: "",
  flagsVersion: "none",
  readOnly: false,
};

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

/** Who owns a session; the origin answers only requests the edge signed. */
export async function originLookup(config: EdgeConfig, sessionId: string): Promise<Identity | null> {
  const req = new Request("https://origin.internal/_internal/identity", {
    headers: { "x-session-id": sessionId },
  });
  const res = await fetchOrigin(config, req, NOBODY);
  if (!res.ok) throw new Error(`identity lookup failed: ${res.status}`);
  const body = (await res.json()) as { user: Identity | null };
  return body.user;
}
