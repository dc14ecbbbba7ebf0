// Tests: per-key request counts in a window, bounded memory.
import { describe, expect, it } from "vitest";
import { Popularity } from "./popularity.ts";

describe("Popularity", () => {
  it("counts uses of a key within the window, and starts again after it", () => {
    const p = new Popularity();
    expect(p.use("a", 0, 60_000)).toBe(1);
    expect(p.use("a", 10_000, 60_000)).toBe(2);
    expect(p.use("b", 10_000, 60_000)).toBe(1);
    expect(p.use("a", 59_999, 60_000)).toBe(3);
    expect(p.use("a", 60_000, 60_000)).toBe(1);
  });

  it("forgets the least recently seen key first when full", () => {
    const p = new Popularity(2);
    p.use("a", 0, 60_000);
    p.use("b", 1, 60_000);
    p.use("a", 2, 60_000);
    p.use("c", 3, 60_000);
    expect(p.use("a", 4, 60_000)).toBe(3);
    expect(p.use("b", 5, 60_000)).toBe(1);
  });
});
