// Envelopes survive both of @upstash/redis's return shapes and reject foreign values as misses.
import { describe, expect, it } from "vitest";
import { decodeEnvelope, encodeEnvelope, sameVersions, toVersion } from "./envelope.ts";

describe("envelope", () => {
  it("round-trips as a JSON string or as an already-parsed object, and stays small", () => {
    const wire = encodeEnvelope({ v: { title: "Talk" }, d: 12, x: 1000, g: [] });
    expect(wire).toBe('{"v":{"title":"Talk"},"d":12,"x":1000}');
    expect(decodeEnvelope(wire)).toEqual({ v: { title: "Talk" }, d: 12, x: 1000, g: undefined });
    expect(decodeEnvelope(JSON.parse(wire))?.v).toEqual({ title: "Talk" });
    expect(decodeEnvelope(encodeEnvelope({ v: 1, d: 0, x: 5, g: [2, 0] }))?.g).toEqual([2, 0]);
  });

  it("reads corrupt or foreign values as a miss", () => {
    for (const raw of [
      null,
      "not json",
      42,
      { v: 1 },
      { v: 1, d: "x", x: 1 },
      { v: 1, d: 1, x: 1, g: ["a"] },
    ]) {
      expect(decodeEnvelope(raw)).toBeNull();
    }
  });

  it("compares tag versions, treating an absent tag counter as version 0", () => {
    expect([7, "7", null, "x"].map(toVersion)).toEqual([7, 7, 0, 0]);
    expect(sameVersions(undefined, [])).toBe(true);
    expect(sameVersions([1, 0], [1, 0])).toBe(true);
    expect(sameVersions([1, 0], [2, 0])).toBe(false);
    expect(sameVersions(undefined, [0])).toBe(false);
  });
});
