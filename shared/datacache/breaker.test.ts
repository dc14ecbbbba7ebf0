// The breaker state machine: trip on failure, skip during cool-down, one probe after it, close on success.
import { describe, expect, it } from "vitest";
import { type BreakerState, breakerAdmit, breakerFailure, breakerSuccess, CLOSED } from "./breaker.ts";

describe("breaker", () => {
  it("admits everything while closed", () => {
    expect(breakerAdmit(CLOSED, 0)).toEqual({ allowed: true, next: CLOSED });
  });

  it("skips Redis for the cool-down after a failure, then lets exactly one probe through", () => {
    let state: BreakerState = breakerFailure(CLOSED, 1000, 5000);
    expect(breakerAdmit(state, 5999).allowed).toBe(false);
    const probe = breakerAdmit(state, 6000);
    expect(probe).toEqual({ allowed: true, next: { kind: "probing" } });
    state = probe.next;
    expect(breakerAdmit(state, 6001).allowed).toBe(false);
    expect(breakerSuccess(state)).toEqual(CLOSED);
  });

  it("a failed probe re-opens for a fresh cool-down", () => {
    const state = breakerFailure({ kind: "probing" }, 6000, 5000);
    expect(state).toEqual({ kind: "open", until: 11_000 });
    expect(breakerAdmit(state, 10_999).allowed).toBe(false);
  });

  it("a late success from a call admitted before the trip does not close it", () => {
    const open = breakerFailure(CLOSED, 0, 5000);
    expect(breakerSuccess(open)).toBe(open);
  });
});
