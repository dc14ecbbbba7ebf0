// XFetch decides early refresh from Δ, β and a random draw exactly per `now − Δ·β·ln(rand) ≥ expiry`.
import { describe, expect, it } from "vitest";
import { shouldRefreshEarly } from "./xfetch.ts";

describe("shouldRefreshEarly", () => {
  it("never refreshes far from expiry, always at or past it", () => {
    expect(shouldRefreshEarly(0, 100, 10_000, 0.5)).toBe(false);
    expect(shouldRefreshEarly(10_000, 100, 10_000, 0.999)).toBe(true);
    expect(shouldRefreshEarly(12_000, 100, 10_000, 0.999)).toBe(true);
  });

  it("refreshes early exactly when Δ·β·(−ln rand) covers the time left", () => {
    // Δ = 100 ms, 50 ms left: refresh iff −ln(r) ≥ 0.5, i.e. r ≤ e^−0.5 ≈ 0.6065.
    expect(shouldRefreshEarly(9_950, 100, 10_000, 0.6)).toBe(true);
    expect(shouldRefreshEarly(9_950, 100, 10_000, 0.61)).toBe(false);
    // β = 2 doubles the reach: 100 ms left now needs the same draw.
    expect(shouldRefreshEarly(9_900, 100, 10_000, 0.6, 2)).toBe(true);
    expect(shouldRefreshEarly(9_900, 100, 10_000, 0.6, 1)).toBe(false);
  });

  it("a slow-to-compute value starts refreshing earlier than a cheap one", () => {
    expect(shouldRefreshEarly(9_000, 2_000, 10_000, 0.5)).toBe(true);
    expect(shouldRefreshEarly(9_000, 10, 10_000, 0.5)).toBe(false);
  });

  it("early refreshes become likelier as expiry nears (sampled)", () => {
    const rate = (now: number) => {
      let n = 0;
      for (let i = 1; i <= 1000; i++) if (shouldRefreshEarly(now, 100, 10_000, i / 1001)) n++;
      return n / 1000;
    };
    expect(rate(9_500)).toBeLessThan(0.01);
    expect(rate(9_900)).toBeGreaterThan(0.3);
    expect(rate(9_990)).toBeGreaterThan(rate(9_900));
    expect(shouldRefreshEarly(0, 1, 10_000, 0)).toBe(true);
    expect(shouldRefreshEarly(9_999, 0, 10_000, 0.0001)).toBe(false);
  });
});
