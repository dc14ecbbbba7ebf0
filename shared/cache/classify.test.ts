// Tests: The request classifier and the sanitised origin request.

import { describe, expect, it } from "vitest";
import { BYPASS_COOKIE, classifyRequest, hasCookie, originRequest } from "./classify.ts";
import { DEFAULT_ROUTE_POLICY, type RoutePolicy } from "./policy.ts";

const route: RoutePolicy = DEFAULT_ROUTE_POLICY;
const req = (init: RequestInit & { url?: string } = {}) =>
  new Request(init.url ?? "https://x.test/talks/1", init);

describe("classifyRequest", () => {
  it("caches anonymous GET and HEAD, even with tracking cookies", () => {
    expect(classifyRequest(req(), route, "sid")).toEqual({ cacheable: true, anonymous: true });
    expect(classifyRequest(req({ method: "HEAD" }), route, "sid").cacheable).toBe(true);
    const tracked = req({ headers: { cookie: "_ga=GA1.2.3; _fbp=fb.1; utm_source=x" } });
    expect(classifyRequest(tracked, route, "sid").cacheable).toBe(true);
  });

  it("passes a session-bearing request as not anonymous", () => {
    const r = req({ headers: { cookie: "_ga=1; sid=abc123" } });
    expect(classifyRequest(r, route, "sid")).toEqual({
      cacheable: false,
      anonymous: false,
      reason: "session",
    });
  });

  it("passes Authorization", () => {
    const r = req({ headers: { authorization: "Bearer t" } });
    expect(classifyRequest(r, route, "sid")).toEqual({
      cacheable: false,
      anonymous: false,
      reason: "authorization",
    });
  });

  it("passes unsafe methods and upgrades, keeping the anonymity verdict", () => {
    expect(classifyRequest(req({ method: "POST", body: "x" }), route, "sid")).toEqual({
      cacheable: false,
      anonymous: true,
      reason: "method",
    });
    expect(classifyRequest(req({ headers: { upgrade: "websocket" } }), route, "sid")).toMatchObject({
      reason: "upgrade",
    });
  });

  it("passes bypassed routes and the writer's ep_bypass cookie", () => {
    expect(classifyRequest(req(), { ...route, bypass: true }, "sid")).toMatchObject({ reason: "route" });
    const r = req({ headers: { cookie: `${BYPASS_COOKIE}=1` } });
    expect(classifyRequest(r, route, "sid")).toEqual({
      cacheable: false,
      anonymous: true,
      reason: "bypass-cookie",
    });
  });
});

describe("hasCookie", () => {
  it("matches whole names with a value only", () => {
    expect(hasCookie("sid=1", "sid")).toBe(true);
    expect(hasCookie("a=1;sid=1", "sid")).toBe(true);
    expect(hasCookie("xsid=1; sid_old=2", "sid")).toBe(false);
    expect(hasCookie("a=sid=1", "sid")).toBe(false);
    expect(hasCookie("sid=; a=1", "sid")).toBe(false);
    expect(hasCookie("sid=", "sid")).toBe(false);
    expect(hasCookie("xsid=1; sid=2", "sid")).toBe(true);
    expect(hasCookie(null, "sid")).toBe(false);
  });
});

describe("originRequest", () => {
  const incoming = req({
    method: "HEAD",
    url: "https://x.test/talks/1?utm_source=nl",
    headers: {
      cookie: "_ga=1; _fbp=2",
      "x-forwarded-host": "evil.test",
      "accept-language": "fr",
      accept: "application/json",
      traceparent: "00-abc-def-01",
    },
  });

  it("strips cookies and unkeyed headers, keeps varyOn and tracing, always GETs the normalised URL", () => {
    const out = originRequest(incoming, "https://x.test/talks/1", { ...route, varyOn: ["accept-language"] });
    expect(out.method).toBe("GET");
    expect(out.url).toBe("https://x.test/talks/1");
    expect(out.redirect).toBe("manual");
    expect([...out.headers]).toEqual([
      ["accept-language", "fr"],
      ["traceparent", "00-abc-def-01"],
    ]);
  });

  it("forwards nothing keyed when the route varies on nothing", () => {
    const out = originRequest(incoming, "https://x.test/talks/1", route);
    expect(out.headers.has("accept-language")).toBe(false);
    expect(out.headers.has("cookie")).toBe(false);
    expect(out.headers.has("x-forwarded-host")).toBe(false);
  });
});

describe("read-your-writes token", () => {
  it("passes a request that carries X-Read-After, so an API client sees its own write", () => {
    const req = new Request("https://site.test/events/x", {
      headers: { "x-read-after": "1.0-16B374D8.abc.sig" },
    });
    expect(classifyRequest(req, DEFAULT_ROUTE_POLICY, "sid")).toEqual({
      cacheable: false,
      anonymous: true,
      reason: "read-after",
    });
  });
});
