// The edge Worker's validated config.
import { z } from "zod";
import { optionalString, parseEnvOnce, secret } from "./parse.ts";

const schema = z.object({
  ENVIRONMENT: z.string().default("production"),
  SESSION_COOKIE: z.string().min(1).default("sid"),
  EDGE_SECRET: secret("EDGE_SECRET"),
  ADMIN_TOKEN: secret("ADMIN_TOKEN"),
  CF_ZONE_ID: optionalString,
  CF_API_TOKEN: optionalString,
});

export type EdgeConfig = z.output<typeof schema> & {
  bindings: Pick<EdgeEnv, "ORIGIN" | "CONFIG" | "ASSETS">;
};

// workerd hands every request of an isolate the same env object: build its config once, not per request.
const configs = new WeakMap<EdgeEnv, EdgeConfig>();

export function edgeConfig(env: EdgeEnv): EdgeConfig {
  let config = configs.get(env);
  if (config === undefined) {
    config = { ...parseEnvOnce(env, schema, "edge"), bindings: env };
    configs.set(env, config);
  }
  return config;
}
