// Tests: What may be stored, for how long, with which stale permissions.
import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTE_POLICY, type RoutePolicy } from "./policy.ts";
import { storability } from "./storability.ts";

const route: RoutePolicy = {
  ...DEFAULT_ROUTE_POLICY,
  ttl: 60,
  grace: 10,
  keep: 3600,
  varyOn: ["accept-language"],
};
const res = (status: number, headers: Record<string, string>) => ({ status, headers: new Headers(headers) });

describe("storability: lifetime", () => {
  it("prefers s-maxage over max-age, and s-maxage cancels the route's grace/keep", () => {
    expect(storability(res(200, { "cache-control": "max-age=10, s-maxage=30" }), route)).toEqual({
      store: true,
      ttl: 30,
      grace: 0,
      keep: 0,
      tags: [],
    });
  });

  it("uses max-age with route defaults for grace and keep", () => {
    expect(storability(res(200, { "cache-control": "max-age=10" }), route)).toMatchObject({
      ttl: 10,
      grace: 10,
      keep: 3600,
    });
  });

  it("defaults to the route ttl (60 s) for public without a lifetime", () => {
    expect(storability(res(200, { "cache-control": "public" }), route)).toMatchObject({
      store: true,
      ttl: 60,
    });
    expect(storability(res(301, { "cache-control": "public" }), route)).toMatchObject({
      store: true,
      ttl: 60,
    });
    expect(storability(res(404, { "cache-control": "public" }), route)).toMatchObject({
      store: true,
      ttl: 60,
    });
  });

  it("does not guess for a silent origin", () => {
    expect(storability(res(200, {}), route)).toEqual({
      store: false,
      reason: "no-lifetime",
      hitForPass: true,
    });
  });

  it("reads Expires − Date and subtracts Age", () => {
    const h = { date: "Mon, 23 Nov 2026 10:00:00 GMT", expires: "Mon, 23 Nov 2026 10:01:40 GMT", age: "40" };
    expect(storability(res(200, h), route)).toMatchObject({ store: true, ttl: 60 });
    expect(storability(res(200, { expires: "0" }), route)).toMatchObject({ store: false, reason: "expired" });
  });

  it("treats ttl <= 0 as uncacheable", () => {
    expect(storability(res(200, { "cache-control": "max-age=0" }), route)).toMatchObject({
      store: false,
      reason: "expired",
      hitForPass: true,
    });
    expect(storability(res(200, { "cache-control": "max-age=10", age: "10" }), route)).toMatchObject({
      store: false,
    });
  });
});

describe("storability: stale permissions", () => {
  it("takes grace from stale-while-revalidate and keep from stale-if-error", () => {
    const cc = "max-age=5, stale-while-revalidate=20, stale-if-error=600";
    expect(storability(res(200, { "cache-control": cc }), route)).toMatchObject({ grace: 20, keep: 600 });
  });

  it("honours explicit stale directives next to s-maxage", () => {
    const cc = "s-maxage=5, stale-while-revalidate=20";
    expect(storability(res(200, { "cache-control": cc }), route)).toMatchObject({
      ttl: 5,
      grace: 20,
      keep: 0,
    });
  });

  it("must-revalidate and proxy-revalidate forbid any stale serving", () => {
    for (const d of ["must-revalidate", "proxy-revalidate"]) {
      const cc = `max-age=5, ${d}, stale-while-revalidate=20, stale-if-error=600`;
      expect(storability(res(200, { "cache-control": cc }), route)).toMatchObject({
        ttl: 5,
        grace: 0,
        keep: 0,
      });
    }
  });
});

describe("storability: never stored", () => {
  const cases: [number, Record<string, string>, string, boolean][] = [
    [200, { "cache-control": "public, max-age=60", "set-cookie": "sid=abc" }, "set-cookie", true],
    [200, { "cache-control": "private, max-age=60" }, "private", true],
    [200, { "cache-control": 'max-age=60, private="set-cookie"' }, "private", true],
    [200, { "cache-control": "public, no-store" }, "no-store", true],
    [200, { "cache-control": "public, no-cache" }, "no-cache", true],
    [200, { "cache-control": "public", vary: "*" }, "vary-star", true],
    [200, { "cache-control": "public", vary: "Accept-Encoding, Cookie" }, "vary", true],
    [206, { "cache-control": "public, max-age=60" }, "status", false],
    [500, { "cache-control": "public, max-age=60" }, "server-error", false],
    [503, {}, "server-error", false],
    [302, { "cache-control": "public" }, "status", false],
    [403, { "cache-control": "public" }, "status", false],
  ];
  it.each(cases)("%i %o → %s", (status, headers, reason, hitForPass) => {
    expect(storability(res(status, headers), route)).toEqual({ store: false, reason, hitForPass });
  });

  it("accepts Vary on accept-encoding and the route's varyOn headers", () => {
    const h = { "cache-control": "public", vary: "Accept-Encoding, Accept-Language" };
    expect(storability(res(200, h), route).store).toBe(true);
  });

  it("stores other statuses only with an explicit lifetime", () => {
    expect(storability(res(302, { "cache-control": "max-age=30" }), route)).toMatchObject({
      store: true,
      ttl: 30,
    });
  });
});

describe("storability: tags", () => {
  it("reads Cache-Tag", () => {
    const h = { "cache-control": "public", "cache-tag": "event:1, talk:2,talk:2" };
    expect(storability(res(200, h), route)).toMatchObject({ tags: ["event:1", "talk:2"] });
  });
});
