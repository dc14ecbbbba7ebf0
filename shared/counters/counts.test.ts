// Drained hashes parse to id → count whichever shape @upstash/redis returns, without the batch marker.
import { describe, expect, it } from "vitest";
import { parseCounts, totalOf } from "./counts.ts";

describe("parseCounts", () => {
  it("accepts numbers and numeric strings, keeps the batch id apart, skips zero and junk", () => {
    const parsed = parseCounts({ "1": 3, "2": "4", "3": 0, "4": "x", "5": -2, __batch: "views:abc" });
    expect(parsed.batchId).toBe("views:abc");
    expect([...parsed.counts]).toEqual([
      ["1", 3],
      ["2", 4],
      ["5", -2],
    ]);
    expect(totalOf(parsed.counts)).toBe(5);
  });

  it("treats a missing hash as an empty batch", () => {
    expect(parseCounts(null)).toEqual({ counts: new Map(), batchId: null });
  });
});
