// The exposures header: keys in, keys out, whatever script they are written in.
import { describe, expect, it } from "vitest";
import { exposedFlags, exposedHeader } from "./exposed.ts";

describe("exposedFlags", () => {
  it("parses the comma-separated keys a page showed", () => {
    expect([...exposedFlags("register-cta, checkout ,")]).toEqual(["register-cta", "checkout"]);
    expect(exposedFlags(null).size).toBe(0);
    expect(exposedFlags("").size).toBe(0);
    expect([...exposedFlags("ok,%E0%A4%A,fine")]).toEqual(["ok", "fine"]);
  });

  it("carries keys in any script as an ASCII header value", () => {
    const keys = ["Feature.UTF-8.Hellø_Wørld", "hero", "hero", "😊:φ"];
    const header = exposedHeader(keys);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect([...exposedFlags(header)]).toEqual(["Feature.UTF-8.Hellø_Wørld", "hero", "😊:φ"]);
  });
});
