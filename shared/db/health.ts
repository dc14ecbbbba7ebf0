// Replica health with hysteresis: out past the lag threshold or on failure, back only once well caught up.

export type ReplicaSample = {
  replica: string;
  ok: boolean;
  lagBytes: number | null;
  lagSeconds: number | null;
  replayLsn: string | null;
  at: number;
  error?: string;
};

export type HealthReason = "ok" | "unreachable" | "lagging" | "catching-up" | "lag-unknown";

export type ReplicaStatus = {
  name: string;
  ok: boolean;
  healthy: boolean;
  lagBytes: number | null;
  lagSeconds: number | null;
  replayLsn: string | null;
  reason: HealthReason;
  /** When this sample was taken (ms). */
  at: number;
  /** When `healthy` last flipped (ms). */
  since: number;
  /** Consecutive samples under the recovery bar, while out. */
  goodStreak: number;
  error?: string;
};

export type HealthOptions = {
  /** Take a replica out above this lag (Eventbrite, Rails: 2 s). */
  thresholdSeconds?: number;
  /** Put it back only under threshold × this, so a replica hovering at the threshold does not flap. */
  recoverRatio?: number;
  /** Samples in a row under the recovery bar before it is put back. */
  recoverAfter?: number;
  /** Optional byte-lag limit, for when a replica cannot report a replay time. */
  maxLagBytes?: number;
};

const DEFAULTS = { thresholdSeconds: 2, recoverRatio: 0.5, recoverAfter: 1 };

/** One step of the state machine for one replica. */
export function nextStatus(
  prev: ReplicaStatus | undefined,
  sample: ReplicaSample,
  opts: HealthOptions = {},
): ReplicaStatus {
  const threshold = opts.thresholdSeconds ?? DEFAULTS.thresholdSeconds;
  const recoverBar = threshold * (opts.recoverRatio ?? DEFAULTS.recoverRatio);
  const recoverAfter = opts.recoverAfter ?? DEFAULTS.recoverAfter;
  const lag = effectiveLag(sample, threshold, opts.maxLagBytes);
  const base = {
    name: sample.replica,
    ok: sample.ok,
    lagBytes: sample.lagBytes,
    lagSeconds: sample.lagSeconds,
    replayLsn: sample.replayLsn,
    at: sample.at,
    ...(sample.error ? { error: sample.error } : {}),
  };
  const wasHealthy = prev?.healthy ?? false;
  const flip = (healthy: boolean) => (prev && prev.healthy === healthy ? prev.since : sample.at);

  if (!sample.ok)
    return { ...base, healthy: false, reason: "unreachable", since: flip(false), goodStreak: 0 };
  if (lag === null)
    return { ...base, healthy: false, reason: "lag-unknown", since: flip(false), goodStreak: 0 };
  if (lag > threshold)
    return { ...base, healthy: false, reason: "lagging", since: flip(false), goodStreak: 0 };
  // First sighting: no history to be hysteretic about, so the plain threshold decides.
  if (!prev || wasHealthy) return { ...base, healthy: true, reason: "ok", since: flip(true), goodStreak: 0 };
  const goodStreak = lag <= recoverBar ? prev.goodStreak + 1 : 0;
  if (goodStreak >= recoverAfter)
    return { ...base, healthy: true, reason: "ok", since: sample.at, goodStreak: 0 };
  return { ...base, healthy: false, reason: "catching-up", since: prev.since, goodStreak };
}

/** Advances every replica that has a sample; replicas with no new sample keep their last status. */
export function applySamples(
  prev: readonly ReplicaStatus[],
  samples: readonly ReplicaSample[],
  opts: HealthOptions = {},
): ReplicaStatus[] {
  const byName = new Map(prev.map((s) => [s.name, s]));
  for (const sample of samples)
    byName.set(sample.replica, nextStatus(byName.get(sample.replica), sample, opts));
  return [...byName.values()];
}

/** Healthy and recently measured: a status nobody refreshed is not evidence of health. */
export function healthyReplicas(
  statuses: readonly ReplicaStatus[],
  now: number,
  maxAgeMs = 30_000,
): ReplicaStatus[] {
  return statuses.filter((s) => s.healthy && now - s.at <= maxAgeMs);
}

/** Lag in seconds, or the threshold-equivalent verdict from bytes when time is unknown; null = unknown. */
function effectiveLag(sample: ReplicaSample, threshold: number, maxLagBytes?: number): number | null {
  if (sample.lagSeconds !== null) return Math.max(0, sample.lagSeconds);
  if (sample.lagBytes === 0) return 0;
  if (sample.lagBytes !== null && maxLagBytes !== undefined) {
    return sample.lagBytes <= maxLagBytes ? 0 : threshold + 1;
  }
  return null;
}
