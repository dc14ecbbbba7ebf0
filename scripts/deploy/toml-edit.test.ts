import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { setTomlValue } from "./toml-edit.ts";

const config = `# The Worker.
name = "site-edge"

[[kv_namespaces]]
binding = "CONFIG"
id = "00000000000000000000000000000000"

[env.staging]
# No route on staging.

[[env.staging.kv_namespaces]]
binding = "CACHE"
id = "00000000000000000000000000000000"

[[env.staging.kv_namespaces]]
binding = "CONFIG"
id = "00000000000000000000000000000000" # written by provision

[env.staging.vars]
ENVIRONMENT = "staging"
R2_S3_ENDPOINT = ""

[env.production.vars]
ENVIRONMENT = "production"
`;

type Parsed = {
  kv_namespaces: { id: string }[];
  env: Record<string, { kv_namespaces: { binding: string; id: string }[]; vars: Record<string, string> }>;
};

describe("setTomlValue", () => {
  it("sets the id of the one array entry that matches, leaving comments and other entries alone", () => {
    const out = setTomlValue(config, {
      table: "env.staging.kv_namespaces",
      match: { binding: "CONFIG" },
      key: "id",
      value: "0f2ac74b498b48028cb68387c421e279",
    });
    const parsed = parse(out) as unknown as Parsed;
    expect(parsed.env.staging?.kv_namespaces).toEqual([
      { binding: "CACHE", id: "00000000000000000000000000000000" },
      { binding: "CONFIG", id: "0f2ac74b498b48028cb68387c421e279" },
    ]);
    expect(parsed.kv_namespaces[0]?.id).toBe("00000000000000000000000000000000");
    expect(out).toContain("# No route on staging.");
    expect(out).toContain('id = "0f2ac74b498b48028cb68387c421e279" # written by provision');
    expect(out.split("\n").length).toBe(config.split("\n").length);
  });

  it("replaces a var in place and appends a missing one at the end of its table", () => {
    let out = setTomlValue(config, {
      table: "env.staging.vars",
      key: "R2_S3_ENDPOINT",
      value: "https://acc.r2.cloudflarestorage.com",
    });
    out = setTomlValue(out, { table: "env.production.vars", key: "CF_ZONE_ID", value: "z1" });
    const parsed = parse(out) as unknown as Parsed;
    expect(parsed.env.staging?.vars).toEqual({
      ENVIRONMENT: "staging",
      R2_S3_ENDPOINT: "https://acc.r2.cloudflarestorage.com",
    });
    expect(parsed.env.production?.vars).toEqual({ ENVIRONMENT: "production", CF_ZONE_ID: "z1" });
  });

  it("is idempotent", () => {
    const t = { table: "env.staging.vars", key: "ENVIRONMENT", value: "staging" };
    expect(setTomlValue(config, t)).toBe(config);
  });

  it("refuses when the table is missing or ambiguous, naming it", () => {
    expect(() =>
      setTomlValue(config, {
        table: "env.production.kv_namespaces",
        match: { binding: "CONFIG" },
        key: "id",
        value: "x",
      }),
    ).toThrow('no [[env.production.kv_namespaces]] with binding = "CONFIG" table');
    const twice = `${config}\n[[env.staging.kv_namespaces]]\nbinding = "CONFIG"\nid = ""\n`;
    expect(() =>
      setTomlValue(twice, {
        table: "env.staging.kv_namespaces",
        match: { binding: "CONFIG" },
        key: "id",
        value: "x",
      }),
    ).toThrow("more than one");
  });
});
