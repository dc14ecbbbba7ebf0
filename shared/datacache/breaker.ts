// Circuit breaker as a pure state machine: after a Redis failure, skip Redis for a cool-down instead of paying
// the timeout on every request; then let exactly one probe through to see whether it is back.

export type BreakerState = { kind: "closed" } | { kind: "open"; until: number } | { kind: "probing" };

export const CLOSED: BreakerState = { kind: "closed" };

/** Whether a call may go to Redis now, and the state after admitting (or refusing) it. */
export function breakerAdmit(state: BreakerState, now: number): { allowed: boolean; next: BreakerState } {
  switch (state.kind) {
    case "closed":
      return { allowed: true, next: state };
    case "open":
      // The first caller after the cool-down becomes the probe; everyone else keeps skipping until it reports.
      return now >= state.until
        ? { allowed: true, next: { kind: "probing" } }
        : { allowed: false, next: state };
    case "probing":
      return { allowed: false, next: state };
  }
}

/** A success closes the breaker only from closed or probing: a late answer from before the trip proves nothing. */
export function breakerSuccess(state: BreakerState): BreakerState {
  return state.kind === "open" ? state : CLOSED;
}

export function breakerFailure(_state: BreakerState, now: number, coolDownMs: number): BreakerState {
  return { kind: "open", until: now + coolDownMs };
}
