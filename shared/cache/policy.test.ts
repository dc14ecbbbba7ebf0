// Tests: Route policy compilation and path matching.
import { describe, expect, it } from "vitest";
import { compilePolicy, DEFAULT_ROUTE_POLICY, patternToRegExp } from "./policy.ts";

describe("patternToRegExp", () => {
  it("matches exact paths, single segments and trailing rests", () => {
    expect(patternToRegExp("/").test("/")).toBe(true);
    expect(patternToRegExp("/").test("/a")).toBe(false);
    const talk = patternToRegExp("/talks/*");
    expect(talk.test("/talks/42")).toBe(true);
    expect(talk.test("/talks/")).toBe(false);
    expect(talk.test("/talks/42/edit")).toBe(false);
    const admin = patternToRegExp("/admin/**");
    expect(admin.test("/admin")).toBe(true);
    expect(admin.test("/admin/users/1")).toBe(true);
    expect(admin.test("/administrator")).toBe(false);
  });

  it("escapes regex characters in literal segments", () => {
    expect(patternToRegExp("/feed.xml").test("/feedXxml")).toBe(false);
    expect(patternToRegExp("/feed.xml").test("/feed.xml")).toBe(true);
  });

  it("rejects relative patterns", () => {
    expect(() => patternToRegExp("talks/*")).toThrow(/must start/);
  });
});

describe("compilePolicy", () => {
  const match = compilePolicy({
    defaults: { ttl: 30 },
    routes: [
      { path: "/admin/**", bypass: true },
      { path: "/talks/*", ttl: 120, varyOn: ["Accept-Language", "accept-language"] },
      { path: "/talks/**", grace: 0 },
    ],
  });

  it("takes the first matching rule, resolved over the defaults", () => {
    expect(match("/talks/1")).toMatchObject({ ttl: 120, grace: 10, varyOn: ["accept-language"] });
    expect(match("/talks/1/slides")).toMatchObject({ ttl: 30, grace: 0, varyOn: [] });
    expect(match("/admin/x").bypass).toBe(true);
  });

  it("falls back to the defaults (Varnish-like hit-for-pass 120 s)", () => {
    expect(match("/")).toEqual({ ...DEFAULT_ROUTE_POLICY, ttl: 30 });
    expect(match("/").hitForPass).toBe(120);
  });

  it("refuses to key on cookies or credentials", () => {
    expect(() => compilePolicy({ routes: [{ path: "/", varyOn: ["Cookie"] }] })).toThrow(/varyOn/);
    expect(() => compilePolicy({ defaults: { varyOn: ["authorization"] } })).toThrow(/varyOn/);
  });

  it("clamps negative or fractional seconds", () => {
    const m = compilePolicy({ defaults: { ttl: -5, grace: 2.7 } });
    expect(m("/")).toMatchObject({ ttl: 0, grace: 2 });
  });
});
