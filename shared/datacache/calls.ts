// Per-request Redis accounting (like the database's query log): every guarded call with its time and outcome,
// so a page's Redis budget can be asserted in tests and seen in a debug header.
import type { GuardResult, RedisGuard } from "./guard.ts";

export type RedisCall = {
  label: string;
  ms: number;
  /** false: the breaker was open, so nothing was sent (not a round trip). */
  sent: boolean;
  ok: boolean;
};

export class RedisLog {
  readonly calls: RedisCall[] = [];

  /** Round trips actually sent to Redis. */
  sent(): number {
    return this.calls.filter((c) => c.sent).length;
  }
}

/** The same guard, recording each call into `log`; one per request, around the isolate's shared breaker. */
export function countedGuard(
  guard: RedisGuard,
  log: RedisLog,
  now: () => number = () => performance.now(),
): RedisGuard {
  return {
    state: () => guard.state(),
    async call<T>(label: string, run: () => Promise<T>): Promise<GuardResult<T>> {
      const start = now();
      const result = await guard.call(label, run);
      const sent = result.ok || result.reason !== "open";
      log.calls.push({ label, ms: Math.round((now() - start) * 10) / 10, sent, ok: result.ok });
      return result;
    },
  };
}

/** For the X-Redis-Log header (dev and tests only). */
export function encodeRedisLog(log: RedisLog): string {
  return JSON.stringify(log.calls);
}

export function decodeRedisLog(header: string | null | undefined): RedisCall[] {
  if (!header) return [];
  const parsed: unknown = JSON.parse(header);
  if (!Array.isArray(parsed)) throw new TypeError("X-Redis-Log is not a list");
  return parsed as RedisCall[];
}
