import { describe, expect, it } from "vitest";
import { compareLsn, formatLsn, lsnDiffBytes, lsnReached, maxLsn, parseLsn } from "./lsn.ts";

describe("lsn", () => {
  it("parses the high and low halves", () => {
    expect(parseLsn("16/B374D848")).toBe(0x16b374d848n);
    expect(parseLsn("0/0")).toBe(0n);
    expect(parseLsn("FFFFFFFF/FFFFFFFF")).toBe(0xffffffffffffffffn);
    expect(parseLsn(" 0/1D745B0 ")).toBe(0x1d745b0n);
  });

  it("rejects what is not an LSN", () => {
    for (const bad of ["", "16", "16/", "/1", "1/2/3", "G/1", "123456789/0", null, undefined]) {
      expect(parseLsn(bad)).toBeNull();
    }
  });

  it("formats like Postgres and round-trips", () => {
    expect(formatLsn(0x16b374d848n)).toBe("16/B374D848");
    expect(formatLsn(0n)).toBe("0/0");
    expect(formatLsn(parseLsn("a/b") ?? -1n)).toBe("A/B");
    expect(() => formatLsn(-1n)).toThrow(RangeError);
  });

  it("compares numerically, not as strings", () => {
    // As strings "9/0" > "10/0"; as positions it is smaller.
    expect(compareLsn("9/0", "10/0")).toBe(-1);
    expect(compareLsn("0/FF", "0/100")).toBe(-1);
    expect(compareLsn("1/0", "0/FFFFFFFF")).toBe(1);
    expect(compareLsn("16/B374D848", "16/b374d848")).toBe(0);
    expect(() => compareLsn("x", "0/0")).toThrow(TypeError);
  });

  it("measures the distance in bytes, clamped at zero", () => {
    expect(lsnDiffBytes("1/0", "0/FFFFFFFF")).toBe(1);
    expect(lsnDiffBytes("16/B374D848", "16/B374D000")).toBe(0x848);
    expect(lsnDiffBytes("0/0", "0/10")).toBe(0);
  });

  it("says whether a replay position reached a target", () => {
    expect(lsnReached("0/200", "0/1FF")).toBe(true);
    expect(lsnReached("0/200", "0/200")).toBe(true);
    expect(lsnReached("0/1FF", "0/200")).toBe(false);
    expect(lsnReached(null, "0/200")).toBe(false);
    expect(lsnReached("0/200", "junk")).toBe(false);
  });

  it("picks the later position", () => {
    expect(maxLsn("9/0", "10/0")).toBe("10/0");
    expect(maxLsn("10/0", "9/0")).toBe("10/0");
  });
});
