// Merging copies by stamp: the newer setting of each switch wins, whichever copy it came from.
import { describe, expect, it } from "vitest";
import {
  mergeSwitches,
  NO_SWITCHES,
  nextStamp,
  PURGES_KEPT,
  parseSwitches,
  type Switches,
  switchesKey,
} from "./switches.ts";

const a: Switches = {
  readOnly: { state: { on: true, reason: "x", retryAfter: 60, since: null, by: "ann" }, at: 10 },
  flags: { version: "v1", text: "{}", at: 5 },
};

describe("switches", () => {
  it("merges each switch by its own stamp and keeps the held object when nothing is newer", () => {
    const b: Switches = {
      readOnly: { ...NO_SWITCHES.readOnly, at: 9 },
      flags: { version: "v2", text: "{}", at: 6 },
    };
    expect(mergeSwitches(a, b)).toEqual({ readOnly: a.readOnly, flags: b.flags });
    expect(mergeSwitches(a, NO_SWITCHES)).toBe(a);
    expect(mergeSwitches(a, a)).toBe(a);
  });

  it("keys equal contents equally and parses only well-formed values", () => {
    expect(switchesKey(structuredClone(a))).toBe(switchesKey(a));
    expect(switchesKey(NO_SWITCHES)).not.toBe(switchesKey(a));
    expect(parseSwitches(JSON.parse(JSON.stringify(a)))).toEqual(a);
    expect(parseSwitches({ readOnly: { state: {}, at: 1 }, flags: null })).toBeNull();
  });

  it("stamps forward even when the clock steps back", () => {
    expect(nextStamp(0, 1_000)).toBe(1_000);
    expect(nextStamp(2_000, 1_000)).toBe(2_001);
  });

  it("merges purge lists by stamp, newest last, and keys a copy by its latest purge", () => {
    const p1 = { ...a, purges: [{ at: 1, tags: ["x"] }] };
    const p2 = {
      ...a,
      purges: [
        { at: 1, tags: ["x"] },
        { at: 2, tags: ["y"] },
      ],
    };
    expect(mergeSwitches(p1, p2).purges?.map((p) => p.at)).toEqual([1, 2]);
    expect(mergeSwitches(p2, p1)).toBe(p2);
    expect(mergeSwitches(p2, a)).toBe(p2);
    expect(mergeSwitches(a, p1).purges).toEqual(p1.purges);
    expect(switchesKey(p1)).not.toBe(switchesKey(p2));
    expect(parseSwitches(JSON.parse(JSON.stringify(p2)))).toEqual(p2);
    expect(parseSwitches({ ...a, purges: [{ at: "1", tags: ["x"] }] })).toBeNull();
  });

  it("keeps only the newest PURGES_KEPT purges", () => {
    const many = (from: number) =>
      Array.from({ length: PURGES_KEPT }, (_, i) => ({ at: from + i, tags: ["t"] }));
    const merged = mergeSwitches({ ...a, purges: many(0) }, { ...a, purges: many(100) });
    expect(merged.purges).toHaveLength(PURGES_KEPT);
    expect(merged.purges?.[0]?.at).toBe(100);
  });
});
