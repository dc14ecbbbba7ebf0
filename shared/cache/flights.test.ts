// Tests: Coalescing registry: sharing, crash and deadline handling.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Filled } from "./fill.ts";
import { Flights } from "./flights.ts";

const passed: Filled = { shared: { type: "pass", detail: "no-store", fwdStatus: 200 } };

describe("Flights", () => {
  it("shares one outcome and forgets the key once it settles", async () => {
    const f = new Flights(1_000);
    const ctx = createExecutionContext();
    const flight = f.start("k", Promise.resolve(passed), ctx);
    expect(f.live("k")).toBe(flight);
    expect(await f.wait(flight)).toEqual(passed.shared);
    await waitOnExecutionContext(ctx);
    expect(f.live("k")).toBeUndefined();
  });

  it("gives waiters null when the leader crashes", async () => {
    const f = new Flights(1_000);
    const ctx = createExecutionContext();
    const flight = f.start("k", Promise.reject(new Error("boom")), ctx);
    expect(await f.wait(flight)).toBeNull();
    await waitOnExecutionContext(ctx);
    expect(f.live("k")).toBeUndefined();
  });

  it("stops waiting on a leader that never settles, and drops it after the deadline", async () => {
    const f = new Flights(30);
    const flight = f.start("k", new Promise<Filled>(() => {}), createExecutionContext());
    expect(await f.wait(flight)).toBeNull();
    expect(f.live("k")).toBeUndefined();
  });

  it("clear() lets new requests start a new fetch while the old one finishes", async () => {
    const f = new Flights(1_000);
    const ctx = createExecutionContext();
    const old = f.start("k", Promise.resolve(passed), ctx);
    f.clear();
    expect(f.live("k")).toBeUndefined();
    const fresh = f.start("k", new Promise<Filled>(() => {}), createExecutionContext());
    await waitOnExecutionContext(ctx);
    // The old flight settling must not unregister the new one.
    expect(f.live("k")).toBe(fresh);
    expect(old).not.toBe(fresh);
  });
});
