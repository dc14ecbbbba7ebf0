// The jobs Worker's validated config.
import * as z from "zod/mini";
import type { SendEmailBinding } from "../email/index.ts";
import { parseRetention, type RetentionDays } from "../retention/index.ts";
import {
  ConfigError,
  flag,
  localOnly,
  millis,
  optionalString,
  parseEnvOnce,
  postgresUrl,
  postgresUrls,
  secret,
  text,
} from "./parse.ts";

const schema = z
  .object({
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
    // How mail leaves (shared/email): Cloudflare's send_email binding, Resend's API, or locally the dev mailbox.
    EMAIL_TRANSPORT: z._default(z.enum(["cloudflare", "resend", "mailbox"]), "cloudflare"),
    EMAIL_FROM: text("no-reply@example.com"),
    RESEND_API_KEY: optionalString,
    RESEND_API_URL: text("https://api.resend.com"),
    SENTRY_DSN: optionalString,
    // Grouped errors are written at most this often per isolate (shared/error-tracking).
    ERROR_FLUSH_MS: millis(5_000),
    // Days each kind of record is kept, over the defaults (shared/retention, docs/privacy.md): "exposures=30,…".
    RETENTION_DAYS: z._default(
      z.string().check(
        z.refine((s) => typeof parseRetention(s) !== "string", {
          error: (issue) => String(parseRetention(String(issue.input))),
        }),
      ),
      "",
    ),
  })
  .check(
    localOnly((c) => [
      ["TEST_HOOKS", c.TEST_HOOKS && "test hooks are on"],
      [
        "EMAIL_TRANSPORT",
        c.EMAIL_TRANSPORT === "mailbox" && "the dev mailbox keeps mail in the database, unsent",
      ],
      [
        "RESEND_API_KEY",
        c.EMAIL_TRANSPORT === "resend" &&
          !c.RESEND_API_KEY &&
          "EMAIL_TRANSPORT is resend but RESEND_API_KEY is not set (npm run secrets)",
      ],
      [
        "EMAIL_FROM",
        /@example\.com>?$/i.test(c.EMAIL_FROM.trim()) && "EMAIL_FROM is still the template's example address",
      ],
    ]),
  );

export type JobsConfig = z.output<typeof schema> & {
  retention: RetentionDays;
  bindings: Pick<JobsEnv, "JOBS" | "UPLOADS" | "CONFIG" | "EDGE" | "SWITCHBOARD"> & {
    EMAIL?: SendEmailBinding;
  };
};

export function jobsConfig(env: JobsEnv): JobsConfig {
  const parsed = parseEnvOnce(env, schema, "jobs");
  const config: JobsConfig = {
    ...parsed,
    bindings: env,
    retention: parseRetention(parsed.RETENTION_DAYS) as RetentionDays,
  };
  if (config.EMAIL_TRANSPORT === "cloudflare" && !config.bindings.EMAIL) {
    throw new ConfigError(
      'jobs Worker misconfigured: EMAIL_TRANSPORT is "cloudflare" but there is no [[send_email]] binding named EMAIL',
    );
  }
  return config;
}
