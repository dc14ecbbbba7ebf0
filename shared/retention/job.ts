// The retention job: every kind pruned in batches; what a run could not finish continues as a new job.
import * as z from "zod/mini";
import { defineJob, type JobContext, jobSpec } from "../jobs/index.ts";
import { type PruneTarget, pruneTargets, type RetentionDays } from "./policy.ts";
import { PRUNE_BATCH } from "./prune.ts";

export const pruneRetentionSpec = jobSpec({
  name: "prune-retention",
  schema: z.object({}),
  // Superseded by the next scheduled run anyway.
  retry: { maxAttempts: 3, baseDelaySeconds: 30, maxDelaySeconds: 300 },
});

export type PruneRetentionServices = {
  retention: RetentionDays;
  pruneBatch(target: PruneTarget, limit: number): Promise<number>;
  /** Enqueues the rest as a new job, a moment later (replicas keep up, the queue stays fair). */
  continuePrune(): Promise<void>;
};

/** Batches per run, over all kinds: each a short statement, the whole run well inside a consumer's time. */
const BATCHES_PER_RUN = 40;

export const pruneRetention = defineJob({
  ...pruneRetentionSpec,
  handler: async (_p, ctx: JobContext<PruneRetentionServices>) => {
    let budget = BATCHES_PER_RUN;
    let unfinished = false;
    for (const target of pruneTargets(ctx.services.retention)) {
      let deleted = PRUNE_BATCH;
      while (deleted === PRUNE_BATCH && budget > 0) {
        deleted = await ctx.services.pruneBatch(target, PRUNE_BATCH);
        budget--;
      }
      if (deleted === PRUNE_BATCH) unfinished = true;
    }
    if (unfinished) await ctx.services.continuePrune();
  },
});
