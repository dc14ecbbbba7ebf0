import { describe, expect, it } from "vitest";
import { lagFromHistory, PrimaryHistory } from "./lag.ts";

const s = (t: number) => t * 1000;

describe("lagFromHistory", () => {
  it("after a quiet spell, a replica 1 s behind reads about 1 s behind, not the length of the spell", () => {
    // The primary idles at 0/100 from 0 s to 4 s, then a write at 5 s moves it to 0/200; the probe at 6 s sees it.
    const history = [
      { at: s(0), lsn: "0/100" },
      { at: s(2), lsn: "0/100" },
      { at: s(4), lsn: "0/100" },
      { at: s(6), lsn: "0/200" },
    ];
    const lag = lagFromHistory(history, "0/100", s(6), 6);
    expect(lag).toBe(1);
  });

  it("is 0 when the replica has replayed everything the primary was seen at", () => {
    expect(lagFromHistory([{ at: s(1), lsn: "0/200" }], "0/200", s(5), 5)).toBe(0);
    expect(lagFromHistory([{ at: s(1), lsn: "0/200" }], "0/300", s(5), 5)).toBe(0);
    expect(lagFromHistory([], "0/300", s(5), 5)).toBeNull();
  });

  it("grows with a replica that stopped replaying", () => {
    const history = [
      { at: s(0), lsn: "0/100" },
      { at: s(2), lsn: "0/200" },
      { at: s(4), lsn: "0/300" },
      { at: s(20), lsn: "0/900" },
    ];
    expect(lagFromHistory(history, "0/100", s(20), 60)).toBe(19);
  });

  it("never exceeds the replay timestamp's age, and gives up when the history starts too late", () => {
    const history = [
      { at: s(0), lsn: "0/100" },
      { at: s(10), lsn: "0/200" },
    ];
    expect(lagFromHistory(history, "0/100", s(10), 2)).toBe(2);
    expect(lagFromHistory([{ at: s(10), lsn: "0/200" }], "0/100", s(10), 30)).toBeNull();
  });
});

describe("PrimaryHistory", () => {
  it("keeps positions in time order, bounded", () => {
    const h = new PrimaryHistory();
    h.add({ at: 3, lsn: "0/3" });
    h.add({ at: 1, lsn: "0/1" });
    h.add({ at: 2, lsn: "not an lsn" });
    expect(h.positions().map((p) => p.at)).toEqual([1, 3]);
    for (let i = 0; i < 500; i++) h.add({ at: 10 + i, lsn: "0/9" });
    expect(h.positions().length).toBeLessThanOrEqual(128);
  });
});
