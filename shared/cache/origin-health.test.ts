// Tests: Backend-sick circuit and the origin deadline.
import { describe, expect, it } from "vitest";
import { OriginHealth } from "./origin-health.ts";

describe("OriginHealth", () => {
  it("turns sick after N consecutive failures, for the cooldown only", () => {
    const h = new OriginHealth({ failures: 3, cooldownMs: 1_000 });
    h.failure(0);
    h.failure(0);
    expect(h.sick(0)).toBe(false);
    h.failure(10);
    expect(h.sick(10)).toBe(true);
    expect(h.sick(1_009)).toBe(true);
    expect(h.sick(1_010)).toBe(false);
  });

  it("re-opens on a failed probe and closes on one success", () => {
    const h = new OriginHealth({ failures: 2, cooldownMs: 1_000 });
    h.failure(0);
    h.failure(0);
    h.failure(2_000); // the probe after the cooldown fails
    expect(h.sick(2_500)).toBe(true);
    h.success();
    expect(h.sick(2_500)).toBe(false);
    h.failure(2_600);
    expect(h.sick(2_600)).toBe(false);
  });

  it("a success between failures resets the count", () => {
    const h = new OriginHealth({ failures: 2, cooldownMs: 1_000 });
    h.failure(0);
    h.success();
    h.failure(0);
    expect(h.sick(0)).toBe(false);
  });
});
