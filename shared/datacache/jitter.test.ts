// Jittered TTLs stay within (ttl·(1−spread), ttl] and actually spread.
import { describe, expect, it } from "vitest";
import { jitterTtlMs } from "./jitter.ts";

describe("jitterTtlMs", () => {
  it("never exceeds the TTL and never drops below ttl·(1−spread)", () => {
    for (let r = 0; r < 1; r += 0.01) {
      const ms = jitterTtlMs(60, r, 0.1);
      expect(ms).toBeLessThanOrEqual(60_000);
      expect(ms).toBeGreaterThan(54_000 - 1);
    }
    expect(jitterTtlMs(60, 0, 0.1)).toBe(60_000);
    expect(jitterTtlMs(60, 0.5, 0.1)).toBe(57_000);
  });

  it("spreads keys written together across the window", () => {
    const values = new Set(Array.from({ length: 100 }, (_, i) => jitterTtlMs(300, i / 100)));
    expect(values.size).toBe(100);
  });

  it("clamps nonsense inputs instead of producing zero or negative TTLs", () => {
    expect(jitterTtlMs(10, 2, 5)).toBe(1);
    expect(jitterTtlMs(-5, 0.5)).toBe(1);
    expect(jitterTtlMs(10, 0.5, -1)).toBe(10_000);
  });
});
