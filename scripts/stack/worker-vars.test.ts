// `npm run dev` hands each Worker its local values through .dev.vars; wrangler dev passes on only the names a
// Worker's config declares ([vars] or [secrets].required), so every name written must be declared there.
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import type { Stack } from "./index.ts";
import { workerVars } from "./worker-vars.ts";

const stack = {
  primaryUrl: "postgresql://p@127.0.0.1:1/db",
  replicaUrl: "postgresql://p@127.0.0.1:2/db",
  neonProxy: "127.0.0.1:3",
  upstashUrl: "http://127.0.0.1:4",
  secrets: {
    upstashToken: "t",
    edgeSecret: "e",
    adminToken: "a",
    r2AccessKeyId: "k",
    r2SecretAccessKey: "s",
  },
  fakes: {
    turnstileVerifyUrl: "http://127.0.0.1:5/v",
    turnstileScriptUrl: "http://127.0.0.1:5/s",
    resendUrl: "http://127.0.0.1:5/r",
    sentryDsn: "http://k@127.0.0.1:5/sentry/42",
  },
} as unknown as Stack;

const CONFIGS = {
  edge: "wrangler.toml",
  origin: "workers/origin/wrangler.toml",
  jobs: "workers/jobs/wrangler.toml",
};

describe("the local values npm run dev writes", () => {
  it.each(Object.entries(CONFIGS))("are all declared by the %s Worker's config", (worker, config) => {
    const c = unstable_readConfig({ config });
    const declared = new Set([...Object.keys(c.vars), ...(c.secrets?.required ?? [])]);
    const written = Object.keys(
      workerVars(stack, { edgeUrl: "http://127.0.0.1:8787", testHooks: false })[
        worker as keyof typeof CONFIGS
      ],
    );
    expect(written.filter((name) => !declared.has(name))).toEqual([]);
  });
});
