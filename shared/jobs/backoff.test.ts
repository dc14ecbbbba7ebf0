// Tests for the capped exponential backoff with full jitter.
import { describe, expect, it } from "vitest";
import { backoffCeiling, backoffSeconds, MAX_BACKOFF_SECONDS } from "./backoff.ts";

const policy = { baseDelaySeconds: 5, maxDelaySeconds: 600 };

describe("backoffCeiling", () => {
  it("doubles per attempt from the base", () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffCeiling(a, policy))).toEqual([5, 10, 20, 40, 80]);
  });

  it("is capped by the policy and never above 600 s", () => {
    expect(backoffCeiling(10, policy)).toBe(600);
    expect(backoffCeiling(3, { baseDelaySeconds: 5, maxDelaySeconds: 12 })).toBe(12);
    expect(backoffCeiling(2, { baseDelaySeconds: 1000, maxDelaySeconds: 5000 })).toBe(MAX_BACKOFF_SECONDS);
    expect(backoffCeiling(5000, policy)).toBe(600);
  });

  it("treats attempt 0 or negative as the first attempt", () => {
    expect(backoffCeiling(0, policy)).toBe(5);
    expect(backoffCeiling(-3, policy)).toBe(5);
  });
});

describe("backoffSeconds", () => {
  it("spans the whole range [0, ceiling] (full jitter)", () => {
    expect(backoffSeconds(3, policy, () => 0)).toBe(0);
    expect(backoffSeconds(3, policy, () => 0.5)).toBe(10);
    expect(backoffSeconds(3, policy, () => 0.999999)).toBe(20);
  });

  it("returns whole seconds within bounds for random draws", () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      for (let i = 0; i < 50; i++) {
        const d = backoffSeconds(attempt, policy);
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(backoffCeiling(attempt, policy));
      }
    }
  });

  it("never exceeds the ceiling even if random() returns 1", () => {
    expect(backoffSeconds(2, policy, () => 1)).toBe(10);
  });
});
