// Example job handler: the events.city backfill (expand/contract step 2), in short batches, continued as new jobs.
import { defineJob, type JobContext } from "../registry.ts";
import { backfillCitySpec } from "./specs.ts";

export type BackfillCityServices = {
  /** One batch (`backfillCityBatch` in Postgres): the last id it looked at (null when done) and rows it filled. */
  backfillCityBatch(afterId: number, size: number): Promise<{ lastId: number | null; updated: number }>;
  /** Enqueues the next part of this job, a moment later so replicas keep up. */
  continueBackfill(payload: { afterId: number; batchSize: number }): Promise<void>;
};

/** Batches per job run: each is its own short transaction; the run stays well inside a consumer's time. */
const BATCHES_PER_RUN = 20;

export const backfillCity = defineJob({
  ...backfillCitySpec,
  handler: async ({ afterId, batchSize }, ctx: JobContext<BackfillCityServices>) => {
    let last = afterId;
    for (let i = 0; i < BATCHES_PER_RUN; i++) {
      const { lastId } = await ctx.services.backfillCityBatch(last, batchSize);
      if (lastId === null) return;
      last = lastId;
    }
    await ctx.services.continueBackfill({ afterId: last, batchSize });
  },
});
