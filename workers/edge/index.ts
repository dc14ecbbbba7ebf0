// The edge Worker's entry: every request enters here (the site's front door).
import { handle } from "./handle.ts";

export default {
  fetch: (request, env, ctx) => handle(request, env, ctx),
} satisfies ExportedHandler<EdgeEnv>;
