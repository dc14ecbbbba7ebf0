// Entering read-only by itself: when Postgres refuses writes (Discourse) or writes keep failing (Stack Exchange).
// Both are recognised by the data layer's detectors (shared/db/errors.ts), never by matching messages here.
import { isOutage, isReadOnlyViolation } from "../db/index.ts";
import type { ReadOnlyState } from "./state.ts";

export const AUTO_ACTOR = "auto";

/** What visitors read in the banner and on the 503 page while the site is read-only by itself. */
export const AUTO_REASONS = {
  unavailable: "Database unavailable: the site switched itself to read-only",
  refused: "Database is refusing writes: the site switched itself to read-only",
} as const;

/** Retry-After while tripped: the probe hands writes back within seconds of the primary recovering. */
export const AUTO_RETRY_AFTER_S = 30;

/** How one write request ended, as far as the primary is concerned; null: it says nothing about the primary. */
export type WriteOutcome = "ok" | "unavailable" | "refused";

/**
 * Pure. `askedReadOnly`: this request ran its transactions READ ONLY on purpose (the switch was on), so a
 * refusal is the switch working, not the primary failing. `writing`: a write round trip was still waiting on the
 * primary when the request failed (it ran out of time before the round trip's own deadline). Reads never count:
 * a replica or the cache answers them.
 */
export function writeOutcome(
  error: unknown,
  request: { unsafe: boolean; askedReadOnly: boolean; wrote: boolean; writing: boolean },
): WriteOutcome | null {
  if (!request.unsafe) return null;
  if (error === undefined || error === null) return request.wrote ? "ok" : null;
  if (isReadOnlyViolation(error)) return request.askedReadOnly ? null : "refused";
  return isOutage(error) || request.writing ? "unavailable" : null;
}

export type WriteFailureTrip = {
  /** True exactly when this outcome should switch read-only on; the caller asks the switchboard to. */
  record(outcome: WriteOutcome): boolean;
};

export type TripOptions = {
  /** Failed writes (no answer from the primary) within `windowMs` that trip; a refusal trips at once. */
  threshold?: number;
  windowMs?: number;
  /** After tripping, stay quiet this long: the switchboard has been asked, and every request need not ask again. */
  quietMs?: number;
  now?: () => number;
};

/** Per isolate: any one isolate tripping sets the global switch, so a sick database trips everyone. */
export function createWriteFailureTrip(options: TripOptions = {}): WriteFailureTrip {
  const threshold = options.threshold ?? 5;
  const windowMs = options.windowMs ?? 10_000;
  const quietMs = options.quietMs ?? 5_000;
  const now = options.now ?? Date.now;
  let failures: number[] = [];
  let trippedAt: number | null = null;
  return {
    record(outcome) {
      // A write that works proves the database takes writes; earlier failures were something else.
      if (outcome === "ok") {
        failures = [];
        trippedAt = null;
        return false;
      }
      const t = now();
      if (trippedAt !== null && t - trippedAt < quietMs) return false;
      failures = failures.filter((at) => t - at < windowMs);
      failures.push(t);
      // Postgres saying "read-only transaction" while nobody asked for one is certain: no need to count.
      if (outcome !== "refused" && failures.length < threshold) return false;
      failures = [];
      trippedAt = t;
      return true;
    },
  };
}

/** The state to store when tripping, or null when already on: never overwrite an operator's switch. */
export function autoReadOnlyState(
  prev: ReadOnlyState,
  reason: string,
  nowIso: string,
  retryAfter = prev.retryAfter,
): ReadOnlyState | null {
  if (prev.on) return null;
  return { on: true, reason, retryAfter, since: nowIso, by: AUTO_ACTOR };
}

/** On because the site tripped itself (and no person has taken the switch over since). */
export function isAutoReadOnly(state: ReadOnlyState): boolean {
  return state.on && state.by === AUTO_ACTOR;
}
