// The origin Worker's validated config.
import * as z from "zod/mini";
import { type Keyring, keyring } from "../trust/index.ts";
import { isTestSecret, SITEVERIFY_URL } from "../turnstile/index.ts";
import {
  flag,
  localOnly,
  millis,
  nextSecret,
  optionalString,
  parseEnvOnce,
  postgresUrl,
  postgresUrls,
  secret,
  text,
  whole,
} from "./parse.ts";

const schema = z
  .object({
    ENVIRONMENT: text("production"),
    SESSION_COOKIE: text("sid"),
    DATABASE_URL: postgresUrl("DATABASE_URL"),
    REPLICA_URLS: postgresUrls("REPLICA_URLS"),
    NEON_LOCAL_PROXY: optionalString,
    UPSTASH_REDIS_REST_URL: optionalString,
    UPSTASH_REDIS_REST_TOKEN: optionalString,
    EDGE_SECRET: secret("EDGE_SECRET"),
    EDGE_SECRET_NEXT: nextSecret("EDGE_SECRET_NEXT"),
    ADMIN_TOKEN: secret("ADMIN_TOKEN"),
    R2_S3_ENDPOINT: optionalString,
    R2_BUCKET: z.string().check(z.minLength(1)),
    R2_ACCESS_KEY_ID: z._default(z.string(), ""),
    R2_SECRET_ACCESS_KEY: z._default(z.string(), ""),
    TEST_HOOKS: flag,
    SLOW_QUERY_MS: whole(200, 1, 60_000),
    // Deadlines: a stopped database must cost a request seconds, not a hang (see docs/decisions).
    REQUEST_BUDGET_MS: millis(3_500),
    DB_TIMEOUT_MS: millis(2_000),
    REPLICA_TIMEOUT_MS: millis(800),
    SWITCH_MEMORY_MS: millis(2_000),
    // Automatic read-only (docs/decisions/026-automatic-read-only.md): "off" leaves it to people.
    AUTO_READ_ONLY: z._default(z.enum(["on", "off"]), "on"),
    // Writes the primary did not answer, within the window, that trip it (one refusal, SQLSTATE 25006, is enough).
    AUTO_READ_ONLY_FAILURES: whole(5, 1, 1_000),
    AUTO_READ_ONLY_WINDOW_MS: millis(10_000),
    // While tripped the switchboard probes the primary this often; it clears after this long healthy throughout.
    AUTO_READ_ONLY_PROBE_MS: millis(2_000),
    AUTO_READ_ONLY_CLEAR_AFTER_MS: millis(5_000),
    // Cloudflare Access in front of /admin (decision 028): the team's domain and the application's AUD tag.
    ACCESS_TEAM_DOMAIN: optionalString,
    ACCESS_AUD: optionalString,
    // The public forms' bot check (shared/turnstile). Locally Cloudflare's test keys and a local siteverify.
    TURNSTILE_SITE_KEY: optionalString,
    TURNSTILE_SECRET_KEY: optionalString,
    TURNSTILE_VERIFY_URL: text(SITEVERIFY_URL),
    TURNSTILE_SCRIPT_URL: text("https://challenges.cloudflare.com/turnstile/v0/api.js"),
    // Errors go to Sentry when set (the project's DSN; it is not a secret).
    SENTRY_DSN: optionalString,
    // Grouped errors are written at most this often per isolate (shared/error-tracking).
    ERROR_FLUSH_MS: millis(5_000),
  })
  .check(
    localOnly((c) => [
      ["TEST_HOOKS", c.TEST_HOOKS && "test hooks are on"],
      [
        "TURNSTILE_SECRET_KEY",
        !c.TURNSTILE_SECRET_KEY && "TURNSTILE_SECRET_KEY is not set (npm run secrets)",
      ],
      [
        "TURNSTILE_SECRET_KEY",
        isTestSecret(c.TURNSTILE_SECRET_KEY) && "a Turnstile test key lets every bot through",
      ],
      [
        "TURNSTILE_SITE_KEY",
        !c.TURNSTILE_SITE_KEY && "TURNSTILE_SITE_KEY is not set (the site key of your widget)",
      ],
    ]),
  );

export type OriginConfig = z.output<typeof schema> & {
  bindings: Pick<OriginEnv, "JOBS" | "UPLOADS" | "CONFIG" | "SWITCHBOARD">;
  /** EDGE_SECRET as a keyring: accepts the current and the next key while a rotation runs. */
  edgeKeys: Keyring;
};

export function originConfig(env: OriginEnv): OriginConfig {
  const parsed = parseEnvOnce(env, schema, "origin");
  return { ...parsed, bindings: env, edgeKeys: keyring(parsed.EDGE_SECRET, parsed.EDGE_SECRET_NEXT) };
}
