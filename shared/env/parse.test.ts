import { describe, expect, it } from "vitest";
import { jobsConfig, originConfig } from "./index.ts";
import { ConfigError, isPostgresUrl } from "./parse.ts";

const base = {
  ENVIRONMENT: "staging",
  EDGE_SECRET: "an-edge-secret-of-enough-length",
  ADMIN_TOKEN: "an-admin-token-of-enough-length",
  R2_BUCKET: "uploads",
  DATABASE_URL: "postgres://u:p@db.example.com/app",
  TURNSTILE_SITE_KEY: "0x4AAAAAAA-site-key",
  TURNSTILE_SECRET_KEY: "0x4AAAAAAA-secret-key",
};
const parse = (env: object) => () => originConfig(env as unknown as OriginEnv);

describe("Worker config errors", () => {
  it("refuses a database URL that is not postgres://, saying so", () => {
    expect(parse({ ...base, DATABASE_URL: "mysql://u:p@db.example.com/app" })).toThrow(
      "DATABASE_URL must be a postgres:// URL",
    );
    expect(parse({ ...base, REPLICA_URLS: "postgres://r1/app,mysql://r2/app" })).toThrow(
      "REPLICA_URLS must be postgres:// URLs",
    );
    expect(() =>
      jobsConfig({ ...base, DATABASE_URL: "https://db.example.com" } as unknown as JobsEnv),
    ).toThrow(ConfigError);
    expect(isPostgresUrl("postgresql://u@h/db")).toBe(true);
    expect(isPostgresUrl("postgres://")).toBe(false);
  });

  it("names the command that sets a missing secret", () => {
    const { EDGE_SECRET: _, ...withoutSecret } = base;
    expect(parse(withoutSecret)).toThrow(/EDGE_SECRET is not set.*npm run secrets -- --env staging/);
    expect(parse({ ...withoutSecret, ENVIRONMENT: "local" })).toThrow(/`npm run dev` writes them/);
  });

  it("reads the next edge key while a rotation runs", () => {
    const config = originConfig({
      ...base,
      EDGE_SECRET_NEXT: "the-next-edge-secret-value",
    } as unknown as OriginEnv);
    expect(config.edgeKeys).toEqual({
      sign: "the-next-edge-secret-value",
      verify: ["the-next-edge-secret-value", base.EDGE_SECRET],
    });
    expect(
      originConfig({ ...base, EDGE_SECRET_NEXT: "" } as unknown as OriginEnv).edgeKeys.verify,
    ).toHaveLength(1);
  });
});
