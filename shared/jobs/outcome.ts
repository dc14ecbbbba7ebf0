// Pure decisions for a failed delivery: retry with backoff, hold (read-only), or declare the job dead.
import { backoffSeconds, type RetryPolicy } from "./backoff.ts";

export type Failure = "error" | "hold" | "invalid";

export type Outcome =
  | { action: "retry"; delaySeconds: number }
  | { action: "hold"; delaySeconds: number }
  | { action: "dead" };

/** Holds wait at least this long: read-only windows last minutes, not milliseconds. */
export const MIN_HOLD_SECONDS = 5;
export const MAX_HOLD_SECONDS = 300;

/** Delay before a held job is tried again: grows with the number of holds, jittered, 5–305 s. */
export function holdDelaySeconds(holds: number, random: () => number = Math.random): number {
  return (
    MIN_HOLD_SECONDS +
    backoffSeconds(holds + 1, { baseDelaySeconds: 10, maxDelaySeconds: MAX_HOLD_SECONDS }, random)
  );
}

/**
 * `attempt` is the 1-based attempt that just failed (failures of earlier copies included);
 * `holds` how many times the job was held before. Invalid jobs die at once: retrying cannot fix them.
 */
export function decide(
  failure: Failure,
  attempt: number,
  holds: number,
  policy: RetryPolicy,
  opts: { requestedDelay?: number | undefined; random?: () => number } = {},
): Outcome {
  const random = opts.random ?? Math.random;
  if (failure === "invalid") return { action: "dead" };
  if (failure === "hold") {
    const delay = opts.requestedDelay ?? holdDelaySeconds(holds, random);
    return { action: "hold", delaySeconds: Math.max(0, Math.min(Math.round(delay), 43_200)) };
  }
  if (attempt >= policy.maxAttempts) return { action: "dead" };
  return { action: "retry", delaySeconds: backoffSeconds(attempt, policy, random) };
}
