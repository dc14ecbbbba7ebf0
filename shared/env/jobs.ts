// The jobs Worker's validated config.
import * as z from "zod/mini";
import {
  flag,
  millis,
  optionalString,
  parseEnvOnce,
  postgresUrl,
  postgresUrls,
  secret,
  text,
} from "./parse.ts";

const schema = z.object({
  ENVIRONMENT: text("production"),
  DATABASE_URL: postgresUrl("DATABASE_URL"),
  REPLICA_URLS: postgresUrls("REPLICA_URLS"),
  NEON_LOCAL_PROXY: optionalString,
  UPSTASH_REDIS_REST_URL: optionalString,
  UPSTASH_REDIS_REST_TOKEN: optionalString,
  ADMIN_TOKEN: secret("ADMIN_TOKEN"),
  TEST_HOOKS: flag,
  DB_TIMEOUT_MS: millis(5_000),
  SWITCH_MEMORY_MS: millis(2_000),
});

export type JobsConfig = z.output<typeof schema> & {
  bindings: Pick<JobsEnv, "JOBS" | "UPLOADS" | "CONFIG" | "EDGE" | "SWITCHBOARD">;
};

export function jobsConfig(env: JobsEnv): JobsConfig {
  return { ...parseEnvOnce(env, schema, "jobs"), bindings: env };
}
