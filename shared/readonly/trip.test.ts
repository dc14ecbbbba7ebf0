// Automatic read-only (database refuses writes, repeated failures) and holding writing jobs.
import { describe, expect, it } from "vitest";
import { readOnlyJobDecision } from "./jobs.ts";
import { READ_ONLY_OFF, type ReadOnlyState } from "./state.ts";
import { autoReadOnlyState, createWriteFailureTrip } from "./trip.ts";

describe("createWriteFailureTrip", () => {
  it("trips once when failures within the window reach the threshold", () => {
    let t = 0;
    const trip = createWriteFailureTrip({ threshold: 3, windowMs: 1_000, now: () => t });
    expect(trip.record("failed")).toBe(false);
    t = 500;
    expect(trip.record("failed")).toBe(false);
    t = 900;
    expect(trip.record("failed")).toBe(true);
    expect(trip.record("failed")).toBe(false);
  });
  it("forgets failures outside the window and after a successful write", () => {
    let t = 0;
    const trip = createWriteFailureTrip({ threshold: 2, windowMs: 1_000, now: () => t });
    trip.record("failed");
    t = 1_500;
    expect(trip.record("failed")).toBe(false);
    trip.record("ok");
    expect(trip.record("failed")).toBe(false);
    expect(trip.record("failed")).toBe(true);
  });
});

describe("autoReadOnlyState", () => {
  it("switches on as 'auto' but never overrides an operator's switch", () => {
    const next = autoReadOnlyState(
      { ...READ_ONLY_OFF },
      "Database refused writes.",
      "2026-11-23T12:00:00.000Z",
    );
    expect(next).toMatchObject({ on: true, by: "auto", since: "2026-11-23T12:00:00.000Z" });
    const manual: ReadOnlyState = { on: true, reason: "Planned", retryAfter: 60, since: null, by: "ann" };
    expect(autoReadOnlyState(manual, "x", "now")).toBeNull();
  });
});

describe("readOnlyJobDecision", () => {
  it("runs everything while off and reading jobs while on", () => {
    expect(readOnlyJobDecision({ on: false, retryAfter: 600 }, true)).toEqual({ action: "run" });
    expect(readOnlyJobDecision({ on: true, retryAfter: 600 }, false)).toEqual({ action: "run" });
  });
  it("holds writing jobs for retryAfter, within the queue's limits", () => {
    expect(readOnlyJobDecision({ on: true, retryAfter: 600 }, true)).toEqual({
      action: "hold",
      delaySeconds: 600,
    });
    expect(readOnlyJobDecision({ on: true, retryAfter: 1 }, true)).toEqual({
      action: "hold",
      delaySeconds: 30,
    });
    expect(readOnlyJobDecision({ on: true, retryAfter: 86_400 }, true)).toEqual({
      action: "hold",
      delaySeconds: 43_200,
    });
  });
});
