// Bounds every Redis call (timeout budget + circuit breaker) so a slow or dead Redis costs at most one timeout,

import { withTimeout } from "../deadline/index.ts";
import { log as logger } from "../log/index.ts";
// then nothing for the cool-down: callers get a "skip Redis" answer and go to the database instead.
import { type BreakerState, breakerAdmit, breakerFailure, breakerSuccess, CLOSED } from "./breaker.ts";

export type GuardResult<T> = { ok: true; value: T } | { ok: false; reason: "open" | "timeout" | "error" };

export interface RedisGuardOptions {
  now?: () => number;
  /** Budget per Redis call; a Redis answer slower than this is treated as a failure. Default 50 ms. */
  timeoutMs?: number;
  /** How long Redis is skipped after a failure. Default 5000 ms. */
  coolDownMs?: number;
  log?: (line: string) => void;
}

export interface RedisGuard {
  call<T>(label: string, run: () => Promise<T>): Promise<GuardResult<T>>;
  /** For tests and health output. */
  state(): BreakerState;
}

class Timeout extends Error {}

export function createRedisGuard(opts: RedisGuardOptions = {}): RedisGuard {
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 50;
  const coolDownMs = opts.coolDownMs ?? 5000;
  const log = opts.log ?? ((line: string) => logger.warn(line));
  let state: BreakerState = CLOSED;

  return {
    state: () => state,
    async call<T>(label: string, run: () => Promise<T>): Promise<GuardResult<T>> {
      const admitted = breakerAdmit(state, now());
      state = admitted.next;
      if (!admitted.allowed) return { ok: false, reason: "open" };
      try {
        const value = await withTimeout((async () => run())(), timeoutMs, { error: () => new Timeout() });
        state = breakerSuccess(state);
        return { ok: true, value };
      } catch (error) {
        const wasOpen = state.kind === "open";
        state = breakerFailure(state, now(), coolDownMs);
        const timedOut = error instanceof Timeout;
        if (!wasOpen) {
          const why = timedOut
            ? `no answer within ${timeoutMs} ms`
            : error instanceof Error
              ? error.message
              : String(error);
          log(`redis ${label} failed (${why}); skipping Redis for ${coolDownMs} ms and using the database`);
        }
        return { ok: false, reason: timedOut ? "timeout" : "error" };
      }
    },
  };
}
