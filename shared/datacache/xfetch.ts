// XFetch early refresh (Vattani et al., VLDB 2015): recompute before expiry with a probability that grows as
// expiry nears and with how long the value took to compute, so one caller refreshes ahead of the herd.

/**
 * True when this caller should recompute now: `now − Δ·β·ln(random) ≥ expiry`. −ln(random) is an Exp(1)
 * sample, so a slow value (large Δ) starts refreshing earlier; β > 1 favours earlier refreshes.
 * `random` is uniform in [0, 1); 0 means "refresh" (ln 0 = −∞), which is the correct limit.
 */
export function shouldRefreshEarly(
  now: number,
  deltaMs: number,
  expiresAt: number,
  random: number,
  beta = 1,
): boolean {
  return now - deltaMs * beta * Math.log(random) >= expiresAt;
}
