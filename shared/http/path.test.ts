import { describe, expect, it } from "vitest";
import { canonicalPath } from "./path.ts";

const path = (p: string) => {
  const r = canonicalPath(p);
  return r.ok ? r.path : `!${r.reason}`;
};
// What a browser or curl would put in request.url for this raw path.
const parsed = (raw: string) => new URL(`http://h${raw}`).pathname;

describe("canonicalPath", () => {
  it("keeps plain paths as they are", () => {
    for (const p of ["/", "/events/edge-summit-2027", "/a/b/", "/me", "/media/u/1/x.png", "/a:b@c"]) {
      expect(path(p)).toBe(p);
    }
  });

  it("decodes escapes of ordinary characters once, so the edge routes on what the origin will see", () => {
    expect(path(parsed("/%5Finternal/identity"))).toBe("/_internal/identity");
    expect(path(parsed("/%5fADMIN/flags"))).toBe("/_ADMIN/flags");
    expect(path(parsed("/events/caf%c3%a9"))).toBe("/events/caf%C3%A9");
    expect(path(parsed("/events/café"))).toBe("/events/caf%C3%A9");
    expect(path(parsed("/a%20b"))).toBe("/a%20b");
  });

  it("collapses empty segments and keeps a trailing slash", () => {
    expect(path(parsed("//_admin//flags"))).toBe("/_admin/flags");
    expect(path(parsed("/events/"))).toBe("/events/");
    expect(path("//")).toBe("/");
  });

  it("leaves dot segments to the URL parser, which resolves them even when encoded", () => {
    expect(parsed("/events/%2e%2e/_admin/flags")).toBe("/_admin/flags");
    expect(path(parsed("/events/%2e%2e/_admin/flags"))).toBe("/_admin/flags");
  });

  it("refuses encodings that another decoder could read differently", () => {
    expect(path(parsed("/_admin%2Fflags"))).toMatch(/encoded slash/);
    expect(path(parsed("/_admin%5cflags"))).toMatch(/encoded slash/);
    expect(path(parsed("/%255Finternal/identity"))).toMatch(/encoded twice/);
    expect(path(parsed("/events/%00"))).toMatch(/control character/);
    expect(path(parsed("/events/a%0Ab"))).toMatch(/control character/);
    expect(path(parsed("/events/%c0%af"))).toMatch(/UTF-8/);
    expect(path(parsed("/events/%ed%a0%80"))).toMatch(/UTF-8/);
    expect(path(parsed("/events/%zz"))).toMatch(/percent-escape/);
    expect(path(parsed("/events/100%"))).toMatch(/percent-escape/);
    expect(path("/a/%2e")).toMatch(/dot segment/);
    expect(path("*")).toMatch(/start with/);
    expect(path(`/${"a".repeat(3000)}`)).toMatch(/longer/);
  });

  it("is idempotent: a canonical path is its own canonical form", () => {
    for (const raw of ["/%5Finternal/x", "/events/caf%c3%a9", "//a//b/", "/a%20b", "/x%21y", "/%7Bid%7D"]) {
      const once = path(parsed(raw));
      expect(path(parsed(once))).toBe(once);
      expect(parsed(once)).toBe(once);
    }
  });
});
