// Automatic read-only (database refuses writes, repeated failures) and holding writing jobs.
import { describe, expect, it } from "vitest";
import { readOnlyJobDecision } from "./jobs.ts";
import { READ_ONLY_OFF, type ReadOnlyState } from "./state.ts";
import { autoReadOnlyState, createWriteFailureTrip, isAutoReadOnly, writeOutcome } from "./trip.ts";

describe("createWriteFailureTrip", () => {
  it("trips once when failures within the window reach the threshold", () => {
    let t = 0;
    const trip = createWriteFailureTrip({ threshold: 3, windowMs: 1_000, now: () => t });
    expect(trip.record("unavailable")).toBe(false);
    t = 500;
    expect(trip.record("unavailable")).toBe(false);
    t = 900;
    expect(trip.record("unavailable")).toBe(true);
    expect(trip.record("unavailable")).toBe(false);
  });
  it("forgets failures outside the window and after a successful write", () => {
    let t = 0;
    const trip = createWriteFailureTrip({ threshold: 2, windowMs: 1_000, now: () => t });
    trip.record("unavailable");
    t = 1_500;
    expect(trip.record("unavailable")).toBe(false);
    trip.record("ok");
    expect(trip.record("unavailable")).toBe(false);
    expect(trip.record("unavailable")).toBe(true);
  });
});

describe("createWriteFailureTrip: refusals and quiet time", () => {
  it("trips at once when Postgres refuses a write nobody asked to be read-only, then stays quiet a while", () => {
    let t = 0;
    const trip = createWriteFailureTrip({ threshold: 5, quietMs: 1_000, now: () => t });
    expect(trip.record("refused")).toBe(true);
    t = 500;
    expect(trip.record("refused")).toBe(false);
    t = 1_600;
    expect(trip.record("refused")).toBe(true);
  });
});

describe("writeOutcome", () => {
  const write = { unsafe: true, askedReadOnly: false, wrote: false, writing: false };
  const pg = (code: string) => Object.assign(new Error("boom"), { code });
  it("counts only writes, and only what says something about the primary", () => {
    expect(writeOutcome(pg("25006"), { ...write, unsafe: false })).toBeNull();
    expect(writeOutcome(undefined, { ...write, wrote: true })).toBe("ok");
    expect(writeOutcome(undefined, write)).toBeNull();
    expect(writeOutcome(pg("25006"), write)).toBe("refused");
    expect(writeOutcome(new Error("Error connecting to database: fetch failed"), write)).toBe("unavailable");
    expect(writeOutcome(pg("23505"), write)).toBeNull();
    expect(writeOutcome(new TypeError("bug"), write)).toBeNull();
  });
  it("counts a write that ran out of time while its round trip still waited on the primary", () => {
    const overBudget = Object.assign(new Error("took too long"), { status: 503 });
    expect(writeOutcome(overBudget, write)).toBeNull();
    expect(writeOutcome(overBudget, { ...write, writing: true })).toBe("unavailable");
  });
  it("does not count a refusal the switch itself asked for", () => {
    expect(writeOutcome(pg("25006"), { ...write, askedReadOnly: true })).toBeNull();
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
    expect(isAutoReadOnly(next as ReadOnlyState)).toBe(true);
    expect(autoReadOnlyState({ ...READ_ONLY_OFF }, "x", "now", 30)?.retryAfter).toBe(30);
    const manual: ReadOnlyState = { on: true, reason: "Planned", retryAfter: 60, since: null, by: "ann" };
    expect(autoReadOnlyState(manual, "x", "now")).toBeNull();
    expect(isAutoReadOnly(manual)).toBe(false);
  });
});

describe("readOnlyJobDecision", () => {
  it("runs everything while off and reading jobs while on", () => {
    expect(readOnlyJobDecision({ on: false, retryAfter: 600 }, true)).toEqual({ action: "run" });
    expect(readOnlyJobDecision({ on: true, retryAfter: 600 }, false)).toEqual({ action: "run" });
  });
  it("holds writing jobs during an automatic trip exactly as during a person's", () => {
    const auto = autoReadOnlyState({ ...READ_ONLY_OFF }, "Database unavailable", "now", 30) as ReadOnlyState;
    expect(readOnlyJobDecision(auto, true)).toEqual({ action: "hold", delaySeconds: 30 });
    expect(readOnlyJobDecision(auto, false)).toEqual({ action: "run" });
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
