// The variables each Worker gets locally, derived from the running stack; used by `npm run dev` and the tests.
import { SITE } from "../../shared/site/index.ts";
import { TEST_KEYS } from "../../shared/turnstile/index.ts";
import type { Stack } from "./index.ts";

export interface WorkerVars {
  edge: Record<string, string>;
  origin: Record<string, string>;
  jobs: Record<string, string>;
}

export function workerVars(
  stack: Stack,
  opts: { edgeUrl: string; testHooks: boolean; switchMemoryMs?: number },
): WorkerVars {
  const s = stack.secrets;
  // Tests read switch changes sooner; everything else keeps the Workers' default.
  const switches: Record<string, string> = opts.switchMemoryMs
    ? {
        SWITCH_MEMORY_MS: String(opts.switchMemoryMs),
        SWITCH_CACHE_MS: String(opts.switchMemoryMs),
        // The switchboard's probe while the site is read-only by itself, and how long healthy before it clears.
        AUTO_READ_ONLY_PROBE_MS: "500",
        AUTO_READ_ONLY_CLEAR_AFTER_MS: "500",
      }
    : {};
  const database = {
    DATABASE_URL: stack.primaryUrl,
    REPLICA_URLS: stack.replicaUrl,
    NEON_LOCAL_PROXY: stack.neonProxy,
    UPSTASH_REDIS_REST_URL: stack.upstashUrl,
    UPSTASH_REDIS_REST_TOKEN: s.upstashToken,
  };
  return {
    edge: {
      ENVIRONMENT: "local",
      EDGE_SECRET: s.edgeSecret,
      ADMIN_TOKEN: s.adminToken,
      CF_API_TOKEN: "",
      ...switches,
    },
    origin: {
      ENVIRONMENT: "local",
      ...database,
      ...switches,
      EDGE_SECRET: s.edgeSecret,
      ADMIN_TOKEN: s.adminToken,
      // Browsers upload to the edge's local stand-in for R2's S3 endpoint (see shared/uploads).
      R2_S3_ENDPOINT: `${opts.edgeUrl}/_r2`,
      R2_ACCESS_KEY_ID: s.r2AccessKeyId,
      R2_SECRET_ACCESS_KEY: s.r2SecretAccessKey,
      TEST_HOOKS: opts.testHooks ? "true" : "false",
      // Cloudflare's always-pass test keys against the local siteverify and widget script: no account needed.
      TURNSTILE_SITE_KEY: TEST_KEYS.passSitekey,
      TURNSTILE_SECRET_KEY: TEST_KEYS.passSecret,
      TURNSTILE_VERIFY_URL: stack.fakes.turnstileVerifyUrl,
      TURNSTILE_SCRIPT_URL: stack.fakes.turnstileScriptUrl,
      SENTRY_DSN: stack.fakes.sentryDsn,
    },
    jobs: {
      ENVIRONMENT: "local",
      ...database,
      ...switches,
      ADMIN_TOKEN: s.adminToken,
      TEST_HOOKS: opts.testHooks ? "true" : "false",
      // Mail lands in Postgres and shows at /_dev/mail.
      EMAIL_TRANSPORT: "mailbox",
      EMAIL_FROM: `${SITE.name} <no-reply@localhost>`,
      RESEND_API_URL: stack.fakes.resendUrl,
      SENTRY_DSN: stack.fakes.sentryDsn,
    },
  };
}

export function toDevVars(vars: Record<string, string>): string {
  const lines = Object.entries(vars).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `# Written by \`npm run dev\` from the local stack; do not edit (it is rewritten on every start).\n${lines.join("\n")}\n`;
}
