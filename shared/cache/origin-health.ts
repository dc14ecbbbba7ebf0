// Origin health for this isolate: a circuit that opens after N consecutive failures ("backend sick").
//
// While sick, the engine serves any copy within keep at once instead of making visitors wait on an origin that
// is failing; after the cooldown one request probes again (half-open), and a single success closes the circuit.

export interface HealthOptions {
  /** Consecutive failures (throw, timeout, 5xx) that mark the backend sick. */
  readonly failures: number;
  /** How long sick lasts before origin is probed again. */
  readonly cooldownMs: number;
}

export const DEFAULT_HEALTH: HealthOptions = { failures: 5, cooldownMs: 10_000 };

export class OriginHealth {
  #consecutive = 0;
  #sickUntil = 0;
  readonly #opts: HealthOptions;

  constructor(opts: HealthOptions) {
    this.#opts = opts;
  }

  sick(nowMs: number): boolean {
    return nowMs < this.#sickUntil;
  }

  success(): void {
    this.#consecutive = 0;
    this.#sickUntil = 0;
  }

  failure(nowMs: number): void {
    this.#consecutive++;
    // A failed probe after the cooldown re-opens the circuit at once (the count is still past the threshold).
    if (this.#opts.failures > 0 && this.#consecutive >= this.#opts.failures) {
      this.#sickUntil = nowMs + this.#opts.cooldownMs;
    }
  }
}

export class OriginTimeoutError extends Error {
  constructor(ms: number) {
    super(`origin did not answer within ${ms} ms`);
    this.name = "OriginTimeoutError";
  }
}
