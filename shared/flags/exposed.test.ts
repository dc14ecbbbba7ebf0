import { describe, expect, it } from "vitest";
import { exposedFlags } from "./exposed.ts";

describe("exposedFlags", () => {
  it("parses the comma-separated keys a page showed", () => {
    expect([...exposedFlags("register-cta, checkout ,")]).toEqual(["register-cta", "checkout"]);
    expect(exposedFlags(null).size).toBe(0);
    expect(exposedFlags("").size).toBe(0);
  });
});
