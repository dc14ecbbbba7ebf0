// Evaluation semantics: states, defaults, hierarchy, dependencies, every condition type, errors.
import { describe, expect, it } from "vitest";
import { compile } from "./compile.ts";
import { evaluate, evaluateAll } from "./evaluate.ts";
import type { Condition, EvalContext, FlagDoc, Segment } from "./types.ts";

const NOW = Date.parse("2026-06-01T12:00:00Z");
const ctx = (extra: Partial<EvalContext> = {}): EvalContext => ({ now: NOW, ...extra });
const snap = (flags: Record<string, unknown>, segments: Record<string, Segment> = {}) => ({
  version: "t1",
  flags,
  segments,
});
const selective = (...conditions: Condition[]): FlagDoc => ({ state: "selective", conditions });
const one = (doc: unknown, c: EvalContext, segments: Record<string, Segment> = {}) =>
  evaluate(compile(snap({ f: doc }, segments)), "f", c);

describe("states, defaults and hierarchy", () => {
  it("returns STATIC for on, DISABLED for off, DEFAULT for unmatched selective", () => {
    expect(one({ state: "on" }, ctx())).toEqual({ key: "f", value: true, variant: "on", reason: "STATIC" });
    expect(one({ state: "off" }, ctx())).toMatchObject({ value: false, variant: "off", reason: "DISABLED" });
    expect(one(selective({ type: "users", ids: ["u1"] }), ctx())).toMatchObject({
      value: false,
      reason: "DEFAULT",
    });
  });

  it("uses code defaults for flags not stored, and FLAG_NOT_FOUND for unknown keys", () => {
    const c = compile(snap({}), { defaults: { "new-nav": true, beta: false } });
    expect(evaluate(c, "new-nav", ctx())).toMatchObject({ value: true, variant: "on", reason: "DEFAULT" });
    expect(evaluate(c, "beta", ctx())).toMatchObject({ value: false, reason: "DEFAULT" });
    expect(evaluate(c, "nope", ctx())).toMatchObject({
      value: false,
      reason: "ERROR",
      errorCode: "FLAG_NOT_FOUND",
    });
  });

  it("a stored rule wins over the code default", () => {
    const c = compile(snap({ "new-nav": { state: "off" } }), { defaults: { "new-nav": true } });
    expect(evaluate(c, "new-nav", ctx()).value).toBe(false);
  });

  it("a disabled parent disables its children (even on ones and code defaults)", () => {
    const c = compile(
      snap({
        checkout: { state: "off" },
        "checkout:new-flow": { state: "on" },
        "checkout:a:b": { state: "on" },
      }),
      { defaults: { "checkout:express": true } },
    );
    for (const key of ["checkout:new-flow", "checkout:a:b", "checkout:express"]) {
      expect(evaluate(c, key, ctx())).toMatchObject({ value: false, reason: "DISABLED" });
    }
    const enabled = compile(snap({ checkout: { state: "on" }, "checkout:new-flow": { state: "on" } }));
    expect(evaluate(enabled, "checkout:new-flow", ctx()).value).toBe(true);
  });

  it("requires (Unleash dependencies): on, off and variant conditions", () => {
    const c = compile(
      snap({
        parent: { state: "selective", conditions: [{ type: "users", ids: ["u1"] }] },
        child: { state: "on", requires: [{ flag: "parent" }] },
        inverse: { state: "on", requires: [{ flag: "parent", enabled: false }] },
        exp: {
          state: "on",
          variants: [
            { name: "a", weight: 1, users: ["u1"] },
            { name: "b", weight: 1 },
          ],
        },
        "only-a": { state: "on", requires: [{ flag: "exp", variants: ["a"] }] },
        ghost: { state: "on", requires: [{ flag: "missing" }] },
      }),
    );
    expect(evaluate(c, "child", ctx({ userId: "u1" }))).toMatchObject({ value: true, reason: "STATIC" });
    expect(evaluate(c, "child", ctx({ userId: "u2" }))).toMatchObject({ value: false, reason: "DISABLED" });
    expect(evaluate(c, "inverse", ctx({ userId: "u2" })).value).toBe(true);
    expect(evaluate(c, "inverse", ctx({ userId: "u1" })).value).toBe(false);
    expect(evaluate(c, "only-a", ctx({ userId: "u1" })).value).toBe(true);
    expect(evaluate(c, "ghost", ctx()).value).toBe(false);
    const all = evaluateAll(c, ctx({ userId: "u1" }));
    const at = (k: string) => all.results[all.index.get(k) ?? -1];
    expect(at("child")?.value).toBe(true);
    expect(at("only-a")?.value).toBe(true);
  });

  it("requires with an empty variants list only asks for the parent to be on", () => {
    const c = compile(
      snap({
        exp: { state: "on", variants: [{ name: "a", weight: 1 }] },
        off: { state: "off" },
        child: { state: "on", requires: [{ flag: "exp", variants: [] }] },
        "child-of-off": { state: "on", requires: [{ flag: "off", variants: [] }] },
      }),
    );
    expect(evaluate(c, "child", ctx({ userId: "u1" })).value).toBe(true);
    expect(evaluate(c, "child-of-off", ctx({ userId: "u1" })).value).toBe(false);
  });

  it("a requires cycle makes the flags ERROR instead of recursing", () => {
    const c = compile(
      snap({ a: { state: "on", requires: [{ flag: "b" }] }, b: { state: "on", requires: [{ flag: "a" }] } }),
    );
    expect(evaluate(c, "a", ctx())).toMatchObject({ reason: "ERROR", errorCode: "PARSE_ERROR" });
  });
});

describe("conditions", () => {
  it("users, tags, tenants", () => {
    expect(one(selective({ type: "users", ids: ["u1"] }), ctx({ userId: "u1" }))).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
    expect(one(selective({ type: "users", ids: ["u1"] }), ctx({ userId: "u2" })).value).toBe(false);
    expect(one(selective({ type: "tags", tags: ["staff"] }), ctx({ tags: ["beta", "staff"] })).value).toBe(
      true,
    );
    expect(one(selective({ type: "tags", tags: ["staff"] }), ctx({ tags: ["beta"] })).value).toBe(false);
    expect(one(selective({ type: "tenants", ids: ["jsconf"] }), ctx({ tenantId: "jsconf" })).value).toBe(
      true,
    );
    expect(one(selective({ type: "tenants", ids: ["jsconf"] }), ctx()).value).toBe(false);
  });

  it("ip (v4 and v6), country, host with wildcard", () => {
    const ip = selective({ type: "ip", cidrs: ["10.0.0.0/8", "2001:db8::/32"] });
    expect(one(ip, ctx({ ip: "10.2.3.4" })).value).toBe(true);
    expect(one(ip, ctx({ ip: "2001:db8::7" })).value).toBe(true);
    expect(one(ip, ctx({ ip: "11.0.0.1" })).value).toBe(false);
    expect(one(ip, ctx({ ip: "garbage" })).value).toBe(false);
    const country = selective({ type: "country", countries: ["fi", "SE"] });
    expect(one(country, ctx({ country: "FI" })).value).toBe(true);
    expect(one(country, ctx({ country: "se" })).value).toBe(true);
    expect(one(country, ctx({ country: "US" })).value).toBe(false);
    const host = selective({ type: "host", hosts: ["beta.example.com", "*.preview.dev"] });
    expect(one(host, ctx({ host: "beta.example.com" })).value).toBe(true);
    expect(one(host, ctx({ host: "pr-12.preview.dev" })).value).toBe(true);
    expect(one(host, ctx({ host: "preview.dev" })).value).toBe(false);
    expect(one(host, ctx({ host: "example.com" })).value).toBe(false);
  });

  it("header and cookie matches", () => {
    const headers = (h: Record<string, string>) => (n: string) => h[n] ?? null;
    const header = selective({ type: "header", name: "X-Beta", operator: "IN", values: ["1"] });
    expect(one(header, ctx({ headers: headers({ "x-beta": "1" }) })).value).toBe(true);
    expect(one(header, ctx({ headers: headers({ "x-beta": "0" }) })).value).toBe(false);
    expect(one(header, ctx()).value).toBe(false);
    const ua = selective({
      type: "header",
      name: "user-agent",
      operator: "STR_CONTAINS",
      values: ["mobile"],
      caseInsensitive: true,
    });
    expect(one(ua, ctx({ headers: headers({ "user-agent": "Foo Mobile Safari" }) })).value).toBe(true);
    const cookie = selective({ type: "cookie", name: "preview", operator: "PRESENT" });
    expect(one(cookie, ctx({ cookies: (n) => (n === "preview" ? "" : null) })).value).toBe(true);
    expect(one(cookie, ctx({ cookies: () => null })).value).toBe(false);
  });

  it("time windows use the injected now: from inclusive, until exclusive", () => {
    const win = selective({ type: "time", from: "2026-06-01T00:00:00Z", until: "2026-06-02T00:00:00Z" });
    expect(one(win, ctx({ now: Date.parse("2026-06-01T00:00:00Z") })).value).toBe(true);
    expect(one(win, ctx({ now: Date.parse("2026-05-31T23:59:59.999Z") })).value).toBe(false);
    expect(one(win, ctx({ now: Date.parse("2026-06-02T00:00:00Z") })).value).toBe(false);
    expect(one(selective({ type: "time", from: NOW + 1 }), ctx()).value).toBe(false);
    expect(one(selective({ type: "time", until: NOW + 1 }), ctx()).value).toBe(true);
  });

  it("generic constraints on context fields", () => {
    const c = selective({
      type: "constraint",
      field: "userId",
      operator: "STR_STARTS_WITH",
      values: ["admin-"],
    });
    expect(one(c, ctx({ userId: "admin-7" })).value).toBe(true);
    const date = selective({
      type: "constraint",
      field: "currentTime",
      operator: "DATE_AFTER",
      value: "2026-01-01T00:00:00Z",
    });
    expect(one(date, ctx()).value).toBe(true);
  });

  it("site properties and REGEX (RE2 syntax) in constraints", () => {
    const properties = (p: Record<string, string>) => (name: string) => p[name];
    const event = selective({ type: "constraint", field: "prop:event", operator: "IN", values: ["jsconf"] });
    expect(one(event, ctx({ properties: properties({ event: "jsconf" }) })).value).toBe(true);
    expect(one(event, ctx({ properties: properties({ event: "djangocon" }) })).value).toBe(false);
    expect(one(event, ctx()).value).toBe(false);
    const app = selective({
      type: "constraint",
      field: "prop:appVersion",
      operator: "SEMVER_GTE",
      value: "2.0.0",
    });
    expect(one(app, ctx({ properties: properties({ appVersion: "2.1.0" }) })).value).toBe(true);
    const email = selective({
      type: "constraint",
      field: "prop:email",
      operator: "REGEX",
      value: "^[^@]+@(?i)EXAMPLE\\.com$",
    });
    expect(one(email, ctx({ properties: properties({ email: "ada@Example.COM" }) })).value).toBe(true);
    expect(one(email, ctx({ properties: properties({ email: "ada@example.org" }) })).value).toBe(false);
    const inverted = { ...email, conditions: [{ ...(email.conditions?.[0] as Condition), inverted: true }] };
    expect(one(inverted, ctx()).value).toBe(true);
  });

  it("any exclude wins over every include", () => {
    const doc = selective(
      { type: "tags", tags: ["staff"] },
      { type: "percentage", percentage: 100 },
      { type: "country", countries: ["RU"], exclude: true },
      { type: "users", ids: ["banned"], exclude: true },
    );
    expect(one(doc, ctx({ tags: ["staff"], country: "FI" }))).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
    expect(one(doc, ctx({ tags: ["staff"], country: "RU" }))).toMatchObject({
      value: false,
      reason: "TARGETING_MATCH",
    });
    expect(one(doc, ctx({ userId: "banned", tags: ["staff"] })).value).toBe(false);
  });

  it("all = AND; segments are reusable AND-groups", () => {
    const doc = selective({
      type: "all",
      conditions: [
        { type: "country", countries: ["FI"] },
        { type: "tags", tags: ["beta"] },
      ],
    });
    expect(one(doc, ctx({ country: "FI", tags: ["beta"] })).value).toBe(true);
    expect(one(doc, ctx({ country: "FI" })).value).toBe(false);
    const segments = {
      nordics: { conditions: [{ type: "country", countries: ["FI", "SE", "NO"] }] },
    } as Record<string, Segment>;
    const seg = selective({ type: "segment", segment: "nordics" });
    expect(one(seg, ctx({ country: "NO" }), segments).value).toBe(true);
    expect(one(seg, ctx({ country: "DE" }), segments).value).toBe(false);
    expect(one(seg, ctx(), {})).toMatchObject({ reason: "ERROR", errorCode: "PARSE_ERROR" });
  });
});

describe("errors never throw", () => {
  it("a malformed document yields ERROR with the code default", () => {
    const c = compile(
      snap({ bad: { state: "selective", conditions: [{ type: "percentage", percentage: 180 }] } }),
      {
        defaults: { bad: true },
      },
    );
    expect(evaluate(c, "bad", ctx())).toEqual({
      key: "bad",
      value: true,
      variant: "on",
      reason: "ERROR",
      errorCode: "PARSE_ERROR",
    });
    expect(c.problems).toContain("flags.bad.conditions[0].percentage must be 0..100");
  });

  it("a header callback that throws gives ERROR/GENERAL, other flags unaffected", () => {
    const c = compile(
      snap({ h: selective({ type: "header", name: "x", operator: "PRESENT" }), s: { state: "on" } }),
    );
    const boom = ctx({
      headers: () => {
        throw new Error("boom");
      },
    });
    expect(evaluate(c, "h", boom)).toMatchObject({ value: false, reason: "ERROR", errorCode: "GENERAL" });
    const all = evaluateAll(c, boom);
    expect(all.results.map((r) => r.reason).sort()).toEqual(["ERROR", "STATIC"]);
  });

  it("garbage snapshots compile to nothing but defaults", () => {
    for (const junk of [null, 42, "x", [], { flags: 3 }, { flags: { "Bad Key": { state: "on" } } }]) {
      const c = compile(junk, { defaults: { a: true } });
      expect(evaluate(c, "a", ctx())).toMatchObject({ value: true, reason: "DEFAULT" });
    }
  });
});
