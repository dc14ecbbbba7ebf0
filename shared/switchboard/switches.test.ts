// Merging copies by stamp: the newer setting of each switch wins, whichever copy it came from.
import { describe, expect, it } from "vitest";
import {
  mergeSwitches,
  NO_SWITCHES,
  nextStamp,
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
});
