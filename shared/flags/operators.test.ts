// Unleash constraint operators and SemVer precedence.
import { describe, expect, it } from "vitest";
import { compileMatch, fieldGetter } from "./operators.ts";
import { compareSemver, parseSemver } from "./semver.ts";
import type { ContextField, EvalContext, Match } from "./types.ts";

const NOW = Date.parse("2026-06-01T00:00:00Z");
const test = (field: ContextField, m: Match, ctx: Partial<EvalContext>): boolean =>
  compileMatch(m, fieldGetter(field))({ now: NOW, ...ctx });

describe("Unleash constraint operators", () => {
  it("IN / NOT_IN, with Unleash's missing-value rules and inverted", () => {
    expect(test("tenantId", { operator: "IN", values: ["a", "b"] }, { tenantId: "b" })).toBe(true);
    expect(test("tenantId", { operator: "IN", values: ["a"] }, {})).toBe(false);
    expect(test("tenantId", { operator: "NOT_IN", values: ["a"] }, {})).toBe(true);
    expect(test("tenantId", { operator: "NOT_IN", values: ["a"] }, { tenantId: "a" })).toBe(false);
    expect(test("tenantId", { operator: "IN", values: ["a"], inverted: true }, { tenantId: "a" })).toBe(
      false,
    );
    expect(test("tenantId", { operator: "IN", values: [" a "] }, { tenantId: "a" })).toBe(true);
  });

  it("STR_* with and without caseInsensitive", () => {
    expect(test("host", { operator: "STR_ENDS_WITH", values: [".dev"] }, { host: "x.dev" })).toBe(true);
    expect(test("host", { operator: "STR_STARTS_WITH", values: ["Beta"] }, { host: "beta.x" })).toBe(false);
    expect(
      test(
        "host",
        { operator: "STR_STARTS_WITH", values: ["Beta"], caseInsensitive: true },
        { host: "beta.x" },
      ),
    ).toBe(true);
    expect(test("host", { operator: "STR_CONTAINS", values: ["x"] }, {})).toBe(false);
  });

  it("NUM_*, DATE_*, IN_CIDR, PRESENT", () => {
    const h = (v: string) => ({ headers: (n: string) => (n === "x-n" ? v : null) });
    expect(test("header:x-n", { operator: "NUM_GT", value: "10" }, h("10.5"))).toBe(true);
    expect(test("header:x-n", { operator: "NUM_LTE", value: "10" }, h("10"))).toBe(true);
    expect(test("header:x-n", { operator: "NUM_EQ", value: "10" }, h("ten"))).toBe(false);
    expect(test("currentTime", { operator: "DATE_AFTER", value: "2026-05-31T00:00:00Z" }, {})).toBe(true);
    expect(test("currentTime", { operator: "DATE_BEFORE", value: "2026-05-31T00:00:00Z" }, {})).toBe(false);
    expect(test("ip", { operator: "IN_CIDR", values: ["192.168.0.0/16"] }, { ip: "192.168.4.4" })).toBe(true);
    expect(test("ip", { operator: "IN_CIDR", values: ["192.168.0.0/16"] }, { ip: "::1" })).toBe(false);
    expect(test("cookie:ab", { operator: "PRESENT" }, { cookies: (n) => (n === "ab" ? "1" : null) })).toBe(
      true,
    );
    expect(test("cookie:ab", { operator: "PRESENT", inverted: true }, {})).toBe(true);
  });

  it("SEMVER_* with pre-release precedence", () => {
    const v = (value: string) => ({ headers: () => value });
    expect(test("header:x-app", { operator: "SEMVER_GT", value: "1.2.3" }, v("1.10.0"))).toBe(true);
    expect(test("header:x-app", { operator: "SEMVER_LT", value: "1.0.0" }, v("1.0.0-rc.1"))).toBe(true);
    expect(test("header:x-app", { operator: "SEMVER_EQ", value: "1.0.0" }, v("1.0.0+build.5"))).toBe(true);
    expect(test("header:x-app", { operator: "SEMVER_GTE", value: "1.0.0" }, v("v1.0.0"))).toBe(false);
    const order = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
    ];
    for (let i = 1; i < order.length; i++) {
      const a = parseSemver(order[i - 1] ?? "");
      const b = parseSemver(order[i] ?? "");
      if (!a || !b) throw new Error("unparsed");
      expect(compareSemver(a, b)).toBeLessThan(0);
    }
  });

  it("refuses malformed operands at compile time", () => {
    expect(() => compileMatch({ operator: "NUM_GT", value: "x" }, fieldGetter("userId"))).toThrow();
    expect(() => compileMatch({ operator: "SEMVER_EQ", value: "1.2" }, fieldGetter("userId"))).toThrow();
    expect(() => compileMatch({ operator: "IN_CIDR", values: ["1.2.3.4/40"] }, fieldGetter("ip"))).toThrow();
  });
});
