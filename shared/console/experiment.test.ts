import { describe, expect, it } from "vitest";
import { experimentTable, percent, percentagePoints, pValue } from "./experiment.ts";

const doc = {
  variants: [
    { name: "control", weight: 50 },
    { name: "bold", weight: 50 },
  ],
};

describe("experimentTable", () => {
  it("compares each variant with the first configured one", () => {
    const t = experimentTable(doc, [
      { variant: "bold", exposed: 1000, converted: 130 },
      { variant: "control", exposed: 1000, converted: 100 },
    ]);
    expect(t.control).toBe("control");
    expect(t.rows.map((r) => r.variant)).toEqual(["control", "bold"]);
    expect(t.rows[0]?.vsControl).toBeNull();
    expect(t.rows[1]?.rate).toBeCloseTo(0.13);
    expect(t.rows[1]?.vsControl?.p).toBeCloseTo(0.0355, 4);
    expect(t.srm?.mismatch).toBe(false);
    expect(t.exposed).toBe(2000);
  });

  it("warns of a sample ratio mismatch, and keeps variants that are no longer configured", () => {
    const t = experimentTable(doc, [
      { variant: "control", exposed: 1200, converted: 100 },
      { variant: "bold", exposed: 800, converted: 90 },
      { variant: "old", exposed: 5, converted: 1 },
    ]);
    expect(t.srm?.mismatch).toBe(true);
    expect(t.rows.map((r) => [r.variant, r.weight])).toEqual([
      ["control", 50],
      ["bold", 50],
      ["old", null],
    ]);
  });

  it("shows configured variants nobody has seen yet", () => {
    const t = experimentTable(doc, []);
    expect(t.rows.map((r) => r.exposed)).toEqual([0, 0]);
    expect(t.srm).toBeNull();
    expect(t.rows[1]?.vsControl?.p).toBeNull();
  });
});

describe("formatting", () => {
  it("signs differences and rounds", () => {
    expect(percentagePoints(0.03)).toBe("+3.0 pp");
    expect(percentagePoints(-0.0123)).toBe("−1.2 pp");
    expect(percent(0.125)).toBe("12.5 %");
    expect(pValue(0.0004)).toBe("< 0.001");
    expect(pValue(0.0362)).toBe("0.036");
    expect(pValue(null)).toBe("–");
  });
});
