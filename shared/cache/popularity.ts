// Counts requests per key in a sliding window (this isolate only), so a route can store a page from its Nth
// request on: one-off URLs are fetched but never fill the cache or push popular pages out of it.

type Entry = { count: number; since: number };

export class Popularity {
  readonly #seen = new Map<string, Entry>();
  readonly #max: number;

  /** `max` keys are remembered; the least recently seen is forgotten first (it was not popular). */
  constructor(max = 20_000) {
    this.#max = max;
  }

  /** Records one request for `key` and returns how many this window has seen, this one included. */
  use(key: string, nowMs: number, windowMs: number): number {
    const prev = this.#seen.get(key);
    const entry = prev && nowMs - prev.since < windowMs ? { count: prev.count + 1, since: prev.since } : null;
    this.#seen.delete(key);
    if (!entry && this.#seen.size >= this.#max) {
      const oldest = this.#seen.keys().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    const next = entry ?? { count: 1, since: nowMs };
    this.#seen.set(key, next);
    return next.count;
  }
}
