// The cache entry as stored in Redis: a small JSON envelope of value, compute time, expiry and tag versions.

export interface Envelope<T = unknown> {
  /** The cached value (JSON: Dates come back as strings, undefined as absent). */
  v: T;
  /** Δ: how long the load took, in ms; drives XFetch. */
  d: number;
  /** Logical expiry (epoch ms); Redis keeps the key longer so a stale value can be served while one refreshes. */
  x: number;
  /** Versions of the entry's tags when it was loaded; a bumped tag makes the entry invalid. */
  g?: number[];
}

export function encodeEnvelope<T>(env: Envelope<T>): string {
  return JSON.stringify(env.g && env.g.length > 0 ? env : { v: env.v, d: env.d, x: env.x });
}

/**
 * Accepts what @upstash/redis hands back: an already-parsed object (automatic deserialization, the default)
 * or the raw JSON string. Anything else (a foreign or corrupt value) reads as a miss, never as an error.
 */
export function decodeEnvelope(raw: unknown): Envelope | null {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (typeof value !== "object" || value === null) return null;
  const env = value as Partial<Envelope>;
  if (typeof env.x !== "number" || typeof env.d !== "number") return null;
  if (env.g !== undefined && !(Array.isArray(env.g) && env.g.every((n) => typeof n === "number")))
    return null;
  return { v: env.v, d: env.d, x: env.x, g: env.g };
}

/** A tag counter as stored: a number (auto-deserialized), a numeric string, or absent (= version 0). */
export function toVersion(raw: unknown): number {
  const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : 0;
  return Number.isFinite(n) ? n : 0;
}

export function sameVersions(stored: readonly number[] | undefined, current: readonly number[]): boolean {
  const a = stored ?? [];
  return a.length === current.length && a.every((n, i) => n === current[i]);
}
