// Tests: Hit-for-pass marks: windows and bounds.
import { describe, expect, it } from "vitest";
import { HitForPass } from "./hit-for-pass.ts";

describe("HitForPass", () => {
  it("is active for the given seconds only", () => {
    const h = new HitForPass();
    h.mark("k", 120, 0);
    expect(h.active("k", 119_999)).toBe(true);
    expect(h.active("k", 120_000)).toBe(false);
    expect(h.active("other", 0)).toBe(false);
  });

  it("ignores a zero window and can be cleared", () => {
    const h = new HitForPass();
    h.mark("k", 0, 0);
    expect(h.active("k", 0)).toBe(false);
    h.mark("k", 10, 0);
    h.clear("k");
    expect(h.active("k", 1)).toBe(false);
  });

  it("stays bounded, dropping the oldest mark", () => {
    const h = new HitForPass(2);
    h.mark("a", 10, 0);
    h.mark("b", 10, 0);
    h.mark("c", 10, 0);
    expect(h.active("a", 1)).toBe(false);
    expect(h.active("b", 1)).toBe(true);
    expect(h.active("c", 1)).toBe(true);
  });
});
