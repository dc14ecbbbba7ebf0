// The origin Worker's entry: the Hono app, reachable only through the edge's service binding.
import { app } from "./app.ts";

export default { fetch: app.fetch } satisfies ExportedHandler<OriginEnv>;
