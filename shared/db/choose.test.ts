import { describe, expect, it } from "vitest";
import { replicaStatus } from "../testing/index.ts";
import { chooseReadTarget } from "./choose.ts";
import type { ReplicaStatus } from "./health.ts";

const NOW = 1_000_000;

const replica = (name: string, over: Partial<ReplicaStatus> = {}): ReplicaStatus =>
  replicaStatus(name, NOW, over);

describe("chooseReadTarget", () => {
  it("uses a replica when there is no token", () => {
    expect(chooseReadTarget({ replicas: [replica("r0")], now: NOW })).toEqual({
      target: "r0",
      reason: "no-token",
    });
  });

  it("goes to the primary when forced or when nothing is healthy", () => {
    expect(chooseReadTarget({ replicas: [replica("r0")], now: NOW, forcePrimary: true }).reason).toBe(
      "forced-primary",
    );
    const down = [replica("r0", { healthy: false }), replica("r1", { at: NOW - 60_000 })];
    expect(chooseReadTarget({ replicas: down, now: NOW })).toEqual({
      target: "primary",
      reason: "none-healthy",
    });
    expect(chooseReadTarget({ replicas: [], now: NOW }).target).toBe("primary");
  });

  it("uses only replicas that replayed the token's LSN", () => {
    const replicas = [replica("behind", { replayLsn: "0/FFF" }), replica("ahead", { replayLsn: "0/1001" })];
    const token = { lsn: "0/1000", at: NOW - 100 };
    for (const r of [0, 0.5, 0.999]) {
      expect(chooseReadTarget({ replicas, token, now: NOW, random: () => r })).toEqual({
        target: "ahead",
        reason: "caught-up",
      });
    }
  });

  it("falls back to the primary when every measured replica is behind the token", () => {
    const replicas = [replica("r0", { replayLsn: "0/FFF", at: NOW - 10 })];
    const token = { lsn: "0/1000", at: NOW - 30_000 };
    expect(chooseReadTarget({ replicas, token, now: NOW })).toEqual({ target: "primary", reason: "lagging" });
  });

  it("pins to the primary while the replay position is unknown, then trusts time", () => {
    const replicas = [replica("r0", { replayLsn: null })];
    const token = { lsn: "0/2000", at: NOW - 1999 };
    expect(chooseReadTarget({ replicas, token, now: NOW })).toEqual({ target: "primary", reason: "pinned" });
    expect(chooseReadTarget({ replicas, token, now: NOW + 1 })).toEqual({
      target: "r0",
      reason: "caught-up",
    });
    expect(chooseReadTarget({ replicas, token, now: NOW, pinMs: 1000 }).target).toBe("r0");
  });

  it("treats a position measured before the write as unknown", () => {
    // Measured 500 ms ago, write 100 ms ago: the sample predates it, so it cannot show it.
    const replicas = [replica("r0", { replayLsn: "0/FFF", at: NOW - 500 })];
    expect(chooseReadTarget({ replicas, token: { lsn: "0/1000", at: NOW - 100 }, now: NOW }).reason).toBe(
      "pinned",
    );
    const later = { lsn: "0/1000", at: NOW - 3000 };
    expect(chooseReadTarget({ replicas, token: later, now: NOW }).reason).toBe("lagging");
  });

  it("ignores expired tokens", () => {
    const replicas = [replica("r0", { replayLsn: "0/1" })];
    const old = { lsn: "F/0", at: NOW - 61_000 };
    expect(chooseReadTarget({ replicas, token: old, now: NOW })).toEqual({
      target: "r0",
      reason: "no-token",
    });
  });

  it("spreads reads across replicas, favouring the less lagged", () => {
    const replicas = [replica("fresh", { lagSeconds: 0 }), replica("slow", { lagSeconds: 1 })];
    const counts: Record<string, number> = { fresh: 0, slow: 0 };
    for (let i = 0; i < 300; i++) {
      const { target } = chooseReadTarget({ replicas, now: NOW, random: () => i / 300 });
      counts[target] = (counts[target] ?? 0) + 1;
    }
    // Weights 1 and 0.5: two thirds to the fresh one.
    expect(counts.fresh).toBe(200);
    expect(counts.slow).toBe(100);
  });
});
