// Request coalescing: at most one origin fetch per key per isolate, which later requests for the key wait on.
//
// Waiters receive only the fetch's plain-memory outcome (a Response belongs to the request that made it).
// A waiter gives up after a deadline and fetches alone: the leading request may have been cancelled, and a
// promise owned by a finished request never settles.
import type { Filled, Shared } from "./fill.ts";

export interface Flight {
  /** Real clock (timers are real even when the cache's clock is injected). */
  readonly startedAt: number;
  readonly leader: Promise<Filled>;
  /** Null when the fetch itself crashed: waiters then fetch on their own. */
  readonly shared: Promise<Shared | null>;
}

export class Flights {
  readonly #map = new Map<string, Flight>();
  readonly #deadlineMs: number;

  constructor(deadlineMs: number) {
    this.#deadlineMs = deadlineMs;
  }

  /** Registers `leader` for `key`; waitUntil keeps it running for the waiters if the leading client leaves. */
  start(key: string, leader: Promise<Filled>, ctx: ExecutionContext): Flight {
    const flight: Flight = {
      startedAt: Date.now(),
      leader,
      shared: leader.then(
        (f) => f.shared,
        () => null,
      ),
    };
    this.#map.set(key, flight);
    const settled = leader.then(
      () => undefined,
      () => undefined,
    );
    ctx.waitUntil(settled);
    void settled.then(() => {
      if (this.#map.get(key) === flight) this.#map.delete(key);
    });
    return flight;
  }

  /** The fetch under way for `key`, unless it is past its deadline. */
  live(key: string): Flight | undefined {
    const f = this.#map.get(key);
    if (f && Date.now() - f.startedAt > this.#deadlineMs) {
      this.#map.delete(key);
      return undefined;
    }
    return f;
  }

  /** The flight's shared outcome, or null once its deadline has passed. */
  wait(f: Flight): Promise<Shared | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<null>((r) => {
      timer = setTimeout(() => r(null), Math.max(0, this.#deadlineMs - (Date.now() - f.startedAt)));
    });
    return Promise.race([f.shared, deadline]).finally(() => clearTimeout(timer));
  }

  /** After a purge, new requests must not join fetches that started before it. */
  clear(): void {
    this.#map.clear();
  }
}
