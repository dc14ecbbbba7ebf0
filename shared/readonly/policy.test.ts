// Which requests pass while read-only: safe methods and whole-segment allow-list prefixes.
import { describe, expect, it } from "vitest";
import { DEFAULT_READ_ONLY_ALLOW_LIST, matchesPrefix, readOnlyDecision } from "./policy.ts";

const on = { on: true };
const off = { on: false };
const allow = DEFAULT_READ_ONLY_ALLOW_LIST;

describe("readOnlyDecision", () => {
  it("allows everything while off", () => {
    expect(readOnlyDecision("POST", "/events/1/register", off, allow)).toBe("allow");
    expect(readOnlyDecision("DELETE", "/comments/9", off, [])).toBe("allow");
  });

  it("allows safe methods while on, whatever their case", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "get", "head"]) {
      expect(readOnlyDecision(method, "/events", on, [])).toBe("allow");
    }
  });

  it("blocks unsafe methods while on", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "post", "PROPFIND"]) {
      expect(readOnlyDecision(method, "/events/1/comments", on, allow)).toBe("block");
    }
  });

  it("lets the allow-list (the switch itself) through", () => {
    expect(readOnlyDecision("PUT", "/_admin/readonly", on, allow)).toBe("allow");
    expect(readOnlyDecision("POST", "/_admin/flags/x", on, allow)).toBe("allow");
  });

  it("matches allow-list prefixes on whole segments only", () => {
    expect(readOnlyDecision("POST", "/_administrator", on, allow)).toBe("block");
    expect(readOnlyDecision("POST", "/_admin-evil/readonly", on, ["/_admin"])).toBe("block");
    expect(readOnlyDecision("POST", "/events/_admin/", on, allow)).toBe("block");
  });
});

describe("matchesPrefix", () => {
  it("handles trailing slashes either way", () => {
    expect(matchesPrefix("/_admin", "/_admin/")).toBe(true);
    expect(matchesPrefix("/_admin/x", "/_admin")).toBe(true);
    expect(matchesPrefix("/_adminx", "/_admin")).toBe(false);
    expect(matchesPrefix("/anything", "")).toBe(false);
    expect(matchesPrefix("/anything", "/")).toBe(true);
  });
});
