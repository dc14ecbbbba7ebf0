import { describe, expect, it } from "vitest";
import type { JobContext } from "../jobs/index.ts";
import { type PruneRetentionServices, pruneRetention } from "./job.ts";
import { DEFAULT_RETENTION_DAYS, type PruneTarget } from "./policy.ts";
import { PRUNE_BATCH } from "./prune.ts";

function run(left: Record<string, number>) {
  const calls: string[] = [];
  let continued = 0;
  const services: PruneRetentionServices = {
    retention: { ...DEFAULT_RETENTION_DAYS, flag_audit: 0 },
    async pruneBatch(target: PruneTarget, limit: number) {
      calls.push(target.kind);
      const n = Math.min(limit, left[target.kind] ?? 0);
      left[target.kind] = (left[target.kind] ?? 0) - n;
      return n;
    },
    async continuePrune() {
      continued++;
    },
  };
  const ctx = {
    jobId: "j",
    name: "prune-retention",
    attempt: 1,
    enqueuedAt: 0,
    token: undefined,
    requestId: undefined,
    services,
  } as JobContext<PruneRetentionServices>;
  return { done: pruneRetention.handler({}, ctx), calls, continued: () => continued };
}

describe("the retention job", () => {
  it("prunes every kind until a short batch, skipping kinds kept forever", async () => {
    const r = run({ exposures: PRUNE_BATCH + 5, sessions: 3 });
    await r.done;
    expect(r.calls.filter((k) => k === "exposures")).toHaveLength(2);
    expect(r.calls).not.toContain("flag_audit");
    expect(r.calls).toContain("dev_mailbox");
    expect(r.continued()).toBe(0);
  });

  it("stops at its batch budget and continues as a new job", async () => {
    const left = { exposures: PRUNE_BATCH * 100 };
    const r = run(left);
    await r.done;
    expect(r.calls.length).toBeLessThanOrEqual(40);
    expect(left.exposures).toBeGreaterThan(0);
    expect(r.continued()).toBe(1);
  });
});
