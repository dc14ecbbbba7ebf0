// The edge Worker's entry: every request enters here (the site's front door).
import { setLogContext } from "../../shared/log/index.ts";
import { handle } from "./handle.ts";

setLogContext({ worker: "edge" });

export default {
  fetch: (request, env, ctx) => handle(request, env, ctx),
} satisfies ExportedHandler<EdgeEnv>;
