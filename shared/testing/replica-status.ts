// Test builders for the data layer's unit tests.
import type { ReplicaStatus } from "../db/index.ts";

/** A healthy, caught-up replica status measured 500 ms before `now`; override what the test is about. */
export function replicaStatus(name: string, now: number, over: Partial<ReplicaStatus> = {}): ReplicaStatus {
  return {
    name,
    ok: true,
    healthy: true,
    lagBytes: 0,
    lagSeconds: 0,
    replayLsn: "0/1000",
    reason: "ok",
    at: now - 500,
    since: 0,
    goodStreak: 0,
    ...over,
  };
}
