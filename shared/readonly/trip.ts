// Entering read-only by itself: when Postgres refuses writes (Discourse) or writes keep failing (Stack Exchange).
// Postgres refusing writes is recognised by the data layer's one detector (`isReadOnlyViolation` in shared/db).
import type { ReadOnlyState } from "./state.ts";

export const AUTO_ACTOR = "auto";

export type WriteFailureTrip = {
  /** Returns true exactly when this failure crosses the threshold: the caller should switch read-only on. */
  record(outcome: "ok" | "failed"): boolean;
};

/** Per isolate: any one isolate tripping writes the global switch, so a sick database trips everyone. */
export function createWriteFailureTrip(
  options: { threshold?: number; windowMs?: number; now?: () => number } = {},
): WriteFailureTrip {
  const threshold = options.threshold ?? 5;
  const windowMs = options.windowMs ?? 30_000;
  const now = options.now ?? Date.now;
  let failures: number[] = [];
  return {
    record(outcome) {
      // A write that works proves the database takes writes; earlier failures were something else.
      if (outcome === "ok") {
        failures = [];
        return false;
      }
      const t = now();
      failures = failures.filter((at) => t - at < windowMs);
      failures.push(t);
      if (failures.length < threshold) return false;
      failures = [];
      return true;
    },
  };
}

/** The state to store when tripping, or null when already on: never overwrite an operator's switch. */
export function autoReadOnlyState(prev: ReadOnlyState, reason: string, nowIso: string): ReadOnlyState | null {
  if (prev.on) return null;
  return { on: true, reason, retryAfter: prev.retryAfter, since: nowIso, by: AUTO_ACTOR };
}
