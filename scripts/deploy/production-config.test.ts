// The deployed configs as committed: nothing local-only (test hooks, fixed dev sessions, test keys, the dev
// mailbox) can run in staging or production, and what a fork must fill in is named when it is missing.
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { edgeConfig, jobsConfig, originConfig } from "../../shared/env/index.ts";
import { TEST_KEYS } from "../../shared/turnstile/index.ts";

const SECRETS = {
  DATABASE_URL: "postgres://app:pw@ep-1-pooler.eu-central-1.aws.neon.tech/app",
  REPLICA_URLS: "",
  EDGE_SECRET: "an-edge-secret-of-enough-length",
  ADMIN_TOKEN: "an-admin-token-of-enough-length",
  TURNSTILE_SECRET_KEY: "0x4AAAAAAA-the-site-secret",
};
// What a fork fills in before its first deploy (docs/deploy.md).
const FILLED = {
  TURNSTILE_SITE_KEY: "0x4AAAAAAA-the-site-key",
  EMAIL_FROM: "Site <no-reply@mail.site.example>",
};

const vars = (config: string, env: string) =>
  unstable_readConfig({ config, env }).vars as Record<string, string>;
const bindings = { CONFIG: {}, JOBS: {}, UPLOADS: {}, EDGE: {}, EMAIL: {}, ORIGIN: {}, ASSETS: {} };

describe.each(["staging", "production"])("the %s configs", (env) => {
  const origin =
    (extra: object = {}) =>
    () =>
      originConfig({
        ...bindings,
        ...vars("workers/origin/wrangler.toml", env),
        ...SECRETS,
        ...FILLED,
        ...extra,
      } as never);
  const jobs =
    (extra: object = {}) =>
    () =>
      jobsConfig({
        ...bindings,
        ...vars("workers/jobs/wrangler.toml", env),
        ...SECRETS,
        ...FILLED,
        ...extra,
      } as never);

  it("are not local, so the seed's fixed sessions are never honoured there", () => {
    for (const config of ["wrangler.toml", "workers/origin/wrangler.toml", "workers/jobs/wrangler.toml"]) {
      expect(vars(config, env).ENVIRONMENT).toBe(env);
    }
    expect(origin()().ENVIRONMENT).toBe(env);
    expect(jobs()().EMAIL_TRANSPORT).toBe("cloudflare");
    expect(() =>
      edgeConfig({ ...bindings, ...vars("wrangler.toml", env), ...SECRETS } as never),
    ).not.toThrow();
  });

  it("refuse test hooks, Turnstile's test keys and the dev mailbox", () => {
    expect(origin({ TEST_HOOKS: "true" })).toThrow(/TEST_HOOKS.*allowed only where ENVIRONMENT is "local"/);
    expect(origin({ TURNSTILE_SECRET_KEY: TEST_KEYS.passSecret })).toThrow(/Turnstile test key/);
    expect(jobs({ EMAIL_TRANSPORT: "mailbox" })).toThrow(/dev mailbox/);
    expect(jobs({ TEST_HOOKS: "true" })).toThrow(/TEST_HOOKS/);
  });

  it("name what a fork has to fill in", () => {
    expect(origin({ TURNSTILE_SITE_KEY: "" })).toThrow(/TURNSTILE_SITE_KEY is not set/);
    // The template's committed sender; a fork's `npm run new-site -- <name> --domain …` replaces it.
    expect(jobs({ EMAIL_FROM: "edgeplate <no-reply@example.com>" })).toThrow(/example address/);
    const committed = vars("workers/jobs/wrangler.toml", env).EMAIL_FROM ?? "";
    if (committed.includes("@example.com"))
      expect(jobs({ EMAIL_FROM: committed })).toThrow(/example address/);
  });
});
