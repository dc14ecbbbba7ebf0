// Tests for the retry / hold / dead decision.
import { describe, expect, it } from "vitest";
import { decide, holdDelaySeconds, MAX_HOLD_SECONDS, MIN_HOLD_SECONDS } from "./outcome.ts";

const policy = { maxAttempts: 3, baseDelaySeconds: 4, maxDelaySeconds: 600 };
const top = () => 0.999999;

describe("decide", () => {
  it("retries with the backoff ceiling of the failed attempt until maxAttempts", () => {
    expect(decide("error", 1, 0, policy, { random: top })).toEqual({ action: "retry", delaySeconds: 4 });
    expect(decide("error", 2, 0, policy, { random: top })).toEqual({ action: "retry", delaySeconds: 8 });
    expect(decide("error", 3, 0, policy, { random: top })).toEqual({ action: "dead" });
    expect(decide("error", 9, 0, policy)).toEqual({ action: "dead" });
  });

  it("kills invalid jobs on the first attempt", () => {
    expect(decide("invalid", 1, 0, policy)).toEqual({ action: "dead" });
  });

  it("holds never die, whatever the attempt count", () => {
    const out = decide("hold", 99, 40, policy, { random: top });
    expect(out.action).toBe("hold");
  });

  it("honours a requested hold delay", () => {
    expect(decide("hold", 1, 0, policy, { requestedDelay: 42 })).toEqual({
      action: "hold",
      delaySeconds: 42,
    });
  });
});

describe("holdDelaySeconds", () => {
  it("stays within [5, 305] and grows with holds", () => {
    expect(holdDelaySeconds(0, () => 0)).toBe(MIN_HOLD_SECONDS);
    expect(holdDelaySeconds(0, top)).toBe(MIN_HOLD_SECONDS + 10);
    expect(holdDelaySeconds(3, top)).toBe(MIN_HOLD_SECONDS + 80);
    expect(holdDelaySeconds(50, top)).toBe(MIN_HOLD_SECONDS + MAX_HOLD_SECONDS);
  });
});
