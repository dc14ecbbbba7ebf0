import { describe, expect, it } from "vitest";
import { chiSquareSurvival, compareProportions, normalCdf, sampleRatio } from "./stats.ts";

describe("normalCdf", () => {
  it("matches the table", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
});

describe("compareProportions", () => {
  it("agrees with R's prop.test(c(130, 100), c(1000, 1000), correct = FALSE)", () => {
    const r = compareProportions({ n: 1000, x: 100 }, { n: 1000, x: 130 });
    expect(r.difference).toBeCloseTo(0.03, 10);
    expect(r.p).toBeCloseTo(0.0355, 4);
    expect(r.z ** 2).toBeCloseTo(4.4214, 3);
    expect(r.low).toBeCloseTo(0.002069, 5);
    expect(r.high).toBeCloseTo(0.057931, 5);
  });

  it("says nothing it cannot know: empty groups and no conversions give no p-value", () => {
    expect(compareProportions({ n: 0, x: 0 }, { n: 10, x: 1 }).p).toBeNull();
    expect(compareProportions({ n: 50, x: 0 }, { n: 50, x: 0 }).p).toBeNull();
  });

  it("finds no difference between equal rates", () => {
    const r = compareProportions({ n: 400, x: 40 }, { n: 400, x: 40 });
    expect(r.p).toBeCloseTo(1, 6);
    expect(r.low).toBeLessThan(0);
    expect(r.high).toBeGreaterThan(0);
  });
});

describe("sampleRatio", () => {
  it("flags 5000/5300 on a 50/50 split (p ≈ 0.0031 is suspicious but under the 0.001 line) and 5000/5600", () => {
    const mild = sampleRatio([5000, 5300], [50, 50]);
    expect(mild?.chi2).toBeCloseTo(8.7379, 3);
    expect(mild?.p).toBeCloseTo(0.00312, 4);
    expect(mild?.mismatch).toBe(false);
    expect(sampleRatio([5000, 5600], [50, 50])?.mismatch).toBe(true);
  });

  it("uses the weights, and the gamma tail agrees with the normal one at one degree of freedom", () => {
    expect(sampleRatio([900, 100], [90, 10])?.p).toBeCloseTo(1, 6);
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(5.991465, 2)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(30, 3)).toBeCloseTo(1.38e-6, 8);
  });

  it("needs two variants, traffic and matching weights", () => {
    expect(sampleRatio([10], [100])).toBeNull();
    expect(sampleRatio([0, 0], [50, 50])).toBeNull();
    expect(sampleRatio([10, 10], [50])).toBeNull();
    expect(sampleRatio([10, 5], [100, 0])?.mismatch).toBe(true);
  });
});
