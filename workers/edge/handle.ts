// The edge request pipeline (temporary pass-through; cache, flags and read-only are wired in as they land).
import { edgeConfig } from "../../shared/env";
import { EDGE_CONTEXT_HEADER, signEdgeContext } from "../../shared/trust";

export async function handle(request: Request, env: EdgeEnv, _ctx: ExecutionContext): Promise<Response> {
  const config = edgeConfig(env);
  const forwarded = new Request(request);
  forwarded.headers.set(
    EDGE_CONTEXT_HEADER,
    await signEdgeContext(
      { user: null, anonymousId: null, flags: "", flagsVersion: "none", readOnly: false },
      config.EDGE_SECRET,
    ),
  );
  return config.bindings.ORIGIN.fetch(forwarded);
}
