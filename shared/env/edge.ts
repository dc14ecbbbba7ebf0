// The edge Worker's validated config.
import { z } from "zod";
import { optionalString, parseEnvOnce, secret } from "./parse";

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

export function edgeConfig(env: EdgeEnv): EdgeConfig {
  const vars = parseEnvOnce(env, schema, "edge");
  return { ...vars, bindings: env };
}
