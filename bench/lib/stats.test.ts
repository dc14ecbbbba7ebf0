// Checks the bench statistics: nearest-rank percentiles, medians and the table layout.
import { describe, expect, it } from "vitest";
import { formatMs, formatRate, median, percentile, table } from "./stats.ts";

describe("percentile", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  it("uses nearest rank on sorted samples", () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
  });
  it("does not reorder the caller's array", () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
  });
  it("is NaN for no samples", () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("median", () => {
  it("takes the middle of an odd count and the mean of the middle two of an even count", () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("formatting", () => {
  it("shows rates in thousands and latencies with sensible precision", () => {
    expect(formatRate(11_234.5)).toBe("11.2 k");
    expect(formatRate(812.4)).toBe("812");
    expect(formatMs(0.1234)).toBe("0.123 ms");
    expect(formatMs(4.567)).toBe("4.57 ms");
    expect(formatMs(123.4)).toBe("123 ms");
    expect(formatMs(Number.NaN)).toBe("-");
  });
  it("aligns the first column left and the rest right", () => {
    expect(
      table(
        ["name", "n"],
        [
          ["a", "10"],
          ["bbb", "2"],
        ],
      ),
    ).toBe(["name   n", "----  --", "a     10", "bbb    2"].join("\n"));
  });
});
