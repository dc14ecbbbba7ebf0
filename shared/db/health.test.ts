import { describe, expect, it } from "vitest";
import {
  applySamples,
  healthyReplicas,
  nextStatus,
  type ReplicaSample,
  type ReplicaStatus,
} from "./health.ts";

const sample = (at: number, lagSeconds: number | null, ok = true): ReplicaSample => ({
  replica: "replica0",
  ok,
  lagBytes: lagSeconds === null ? null : Math.round(lagSeconds * 1000),
  lagSeconds,
  replayLsn: "0/10",
  at,
});

function run(lags: Array<number | null | "down">, opts = {}): ReplicaStatus[] {
  const out: ReplicaStatus[] = [];
  let prev: ReplicaStatus | undefined;
  lags.forEach((lag, i) => {
    prev = nextStatus(prev, lag === "down" ? sample(i, null, false) : sample(i, lag), opts);
    out.push(prev);
  });
  return out;
}

describe("replica health", () => {
  it("starts healthy under the threshold and out above it", () => {
    expect(nextStatus(undefined, sample(0, 1.9)).healthy).toBe(true);
    expect(nextStatus(undefined, sample(0, 2.1))).toMatchObject({ healthy: false, reason: "lagging" });
  });

  it("takes a replica out on failure and reports why", () => {
    const [a, b] = run([0, "down"]);
    expect(a?.healthy).toBe(true);
    expect(b).toMatchObject({ healthy: false, ok: false, reason: "unreachable", since: 1 });
  });

  it("is hysteretic: out above 2 s, back only under 1 s", () => {
    const states = run([0.5, 2.5, 1.8, 1.2, 0.9, 1.8]);
    expect(states.map((s) => s.healthy)).toEqual([true, false, false, false, true, true]);
    expect(states.map((s) => s.reason)).toEqual(["ok", "lagging", "catching-up", "catching-up", "ok", "ok"]);
    // Healthy again at 1.8 s: under the threshold is enough to stay in.
  });

  it("can demand several good samples in a row before putting back", () => {
    const states = run([3, 0.1, 0.1, 1.5, 0.1, 0.1], { recoverAfter: 2 });
    expect(states.map((s) => s.healthy)).toEqual([false, false, true, true, true, true]);
    const broken = run([3, 0.1, 1.5, 0.1, 0.1], { recoverAfter: 2 });
    expect(broken.map((s) => s.healthy)).toEqual([false, false, false, false, true]);
  });

  it("tracks since as the time of the last flip", () => {
    const states = run([0, 0, 5, 5, 0]);
    expect(states.map((s) => s.since)).toEqual([0, 0, 2, 2, 4]);
  });

  it("treats an unknown lag as unhealthy unless bytes can decide", () => {
    expect(nextStatus(undefined, sample(0, null))).toMatchObject({ healthy: false, reason: "lag-unknown" });
    const bytes = { ...sample(0, null), lagBytes: 100 };
    expect(nextStatus(undefined, bytes, { maxLagBytes: 1000 }).healthy).toBe(true);
    expect(nextStatus(undefined, { ...bytes, lagBytes: 5000 }, { maxLagBytes: 1000 }).healthy).toBe(false);
    expect(nextStatus(undefined, { ...bytes, lagBytes: 0 }).healthy).toBe(true);
  });

  it("honours a custom threshold", () => {
    expect(nextStatus(undefined, sample(0, 4), { thresholdSeconds: 5 }).healthy).toBe(true);
  });

  it("applies samples per replica and keeps the others", () => {
    const prev = applySamples([], [sample(0, 0), { ...sample(0, 0), replica: "replica1" }]);
    const next = applySamples(prev, [sample(1, 9)]);
    expect(next.map((s) => [s.name, s.healthy])).toEqual([
      ["replica0", false],
      ["replica1", true],
    ]);
  });

  it("ignores statuses nobody refreshed", () => {
    const statuses = applySamples([], [sample(0, 0)]);
    expect(healthyReplicas(statuses, 10_000, 30_000)).toHaveLength(1);
    expect(healthyReplicas(statuses, 40_000, 30_000)).toHaveLength(0);
  });
});
