// Background jobs during read-only: jobs that write are held and resumed later, never failed or lost.
import type { ReadOnlyState } from "./state.ts";

export type JobDecision = { action: "run" } | { action: "hold"; delaySeconds: number };

/** Queues accept delays up to 12 h (24 h on newer accounts); stay under the older limit. */
export const MAX_HOLD_SECONDS = 43_200;
const MIN_HOLD_SECONDS = 30;

/**
 * Hold by re-sending the message with `delaySeconds` and then acking the original, not by
 * `message.retry()`: retries count towards max_retries, so a long read-only window would dead-letter
 * every held job. Re-sending can duplicate a job, which the idempotency ledger already absorbs.
 */
export function readOnlyJobDecision(
  state: Pick<ReadOnlyState, "on" | "retryAfter">,
  writes: boolean,
): JobDecision {
  if (!state.on || !writes) return { action: "run" };
  const delaySeconds = Math.min(MAX_HOLD_SECONDS, Math.max(MIN_HOLD_SECONDS, Math.round(state.retryAfter)));
  return { action: "hold", delaySeconds };
}
