// Remembers keys whose last answer was uncacheable, so their requests skip coalescing (Varnish hit-for-miss).
//
// Miss semantics, not pass: a request sent straight to origin may still store the answer if it has become
// cacheable, which clears the mark at once instead of waiting out the hit-for-pass window.

export class HitForPass {
  readonly #until = new Map<string, number>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  mark(key: string, seconds: number, nowMs: number): void {
    if (seconds <= 0) return;
    this.#until.delete(key);
    if (this.#until.size >= this.#max) {
      const oldest = this.#until.keys().next();
      if (!oldest.done) this.#until.delete(oldest.value);
    }
    this.#until.set(key, nowMs + seconds * 1000);
  }

  active(key: string, nowMs: number): boolean {
    const until = this.#until.get(key);
    if (until === undefined) return false;
    if (until > nowMs) return true;
    this.#until.delete(key);
    return false;
  }

  clear(key: string): void {
    this.#until.delete(key);
  }
}
