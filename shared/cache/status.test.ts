// Tests: Cache-Status and Age.

import { describe, expect, it } from "vitest";
import { CACHE_NAME } from "../site/index.ts";
import { ageSeconds, cacheStatus, ttlLeft } from "./status.ts";

describe("cacheStatus", () => {
  it("formats the RFC 9211 forms the edge emits", () => {
    expect(cacheStatus({ hit: true, ttl: 12 })).toBe(`${CACHE_NAME}; hit; ttl=12`);
    expect(cacheStatus({ fwd: "uri-miss", fwdStatus: 200, stored: true })).toBe(
      `${CACHE_NAME}; fwd=uri-miss; fwd-status=200; stored`,
    );
    expect(cacheStatus({ fwd: "miss", stored: true, collapsed: true })).toBe(
      `${CACHE_NAME}; fwd=miss; stored; collapsed`,
    );
    expect(cacheStatus({ fwd: "stale", fwdStatus: 503, ttl: -40, detail: "stale-if-error" })).toBe(
      `${CACHE_NAME}; fwd=stale; fwd-status=503; ttl=-40; detail=stale-if-error`,
    );
    expect(cacheStatus({ fwd: "bypass", detail: "session" })).toBe(
      `${CACHE_NAME}; fwd=bypass; detail=session`,
    );
  });

  it("quotes a detail that is not a token", () => {
    expect(cacheStatus({ fwd: "miss", detail: "two words" })).toBe(
      `${CACHE_NAME}; fwd=miss; detail="two words"`,
    );
  });
});

describe("ageSeconds / ttlLeft", () => {
  it("adds residence time to the age the object arrived with", () => {
    expect(ageSeconds(1_000, 13_999, 5)).toBe(17);
    expect(ageSeconds(1_000, 500, 0)).toBe(0);
  });

  it("reports remaining freshness, negative once stale", () => {
    expect(ttlLeft(0, 60, 48_500)).toBe(12);
    expect(ttlLeft(0, 60, 60_000)).toBe(0);
    expect(ttlLeft(0, 60, 70_200)).toBe(-11);
  });
});
