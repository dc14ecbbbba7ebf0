// Capped exponential backoff with full jitter (Celery's retry_backoff + retry_jitter), in whole seconds.

/** Celery's default retry_backoff_max, and a sane ceiling for a Queues retry delay. */
export const MAX_BACKOFF_SECONDS = 600;

export type RetryPolicy = {
  /** deliveries before the job is declared dead (1 = no retries) */
  maxAttempts: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
};

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelaySeconds: 5,
  maxDelaySeconds: MAX_BACKOFF_SECONDS,
};

/** The ceiling before jitter: base · 2^(attempt−1), capped; `attempt` is the 1-based attempt that just failed. */
export function backoffCeiling(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelaySeconds" | "maxDelaySeconds">,
) {
  const cap = Math.min(Math.max(policy.maxDelaySeconds, 0), MAX_BACKOFF_SECONDS);
  const exponent = Math.max(attempt, 1) - 1;
  // 2^exponent overflows to Infinity for large attempts, which the cap absorbs.
  return Math.min(cap, Math.max(policy.baseDelaySeconds, 0) * 2 ** exponent);
}

/**
 * Full jitter: uniform in [0, ceiling] so a burst of failures does not retry in lockstep.
 * `random` is injectable so tests are deterministic.
 */
export function backoffSeconds(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelaySeconds" | "maxDelaySeconds">,
  random: () => number = Math.random,
): number {
  const ceiling = Math.floor(backoffCeiling(attempt, policy));
  return Math.min(ceiling, Math.floor(random() * (ceiling + 1)));
}
