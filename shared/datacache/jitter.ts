// Jittered TTLs: keys written together (deploy, cold start, a bulk fill) must not all expire in the same instant.

/**
 * TTL in ms, shortened by up to `spread` of itself: uniformly in (ttl·(1−spread), ttl]. Jitter only shortens, so
 * the configured TTL stays a hard bound on how old a fresh-served value can be.
 */
export function jitterTtlMs(ttlSeconds: number, random: number, spread = 0.1): number {
  const ttlMs = Math.max(0, ttlSeconds) * 1000;
  const cut = Math.min(Math.max(spread, 0), 1) * Math.min(Math.max(random, 0), 1);
  return Math.max(1, Math.round(ttlMs * (1 - cut)));
}
