// Example job: drain buffered counters (e.g. talk views in Redis) into Postgres; the drain function is wired by the app.
import { z } from "zod";
import { defineJob, type JobContext } from "../registry.ts";

export const flushCountersSchema = z.object({ limit: z.number().int().positive().max(10_000).optional() });

/**
 * `drain` must be safe to retry: it runs again after a failure or a read-only hold, so take counts from the
 * buffer only once they are committed (or write them with the job id as an idempotency key).
 */
export type DrainCounters = (opts: { limit: number; jobId: string }) => Promise<unknown>;

export function flushCountersJob(drain: DrainCounters) {
  return defineJob({
    name: "flush-counters",
    schema: flushCountersSchema,
    // Runs every minute from cron: a failed run is superseded by the next one, so do not retry for long.
    retry: { maxAttempts: 3, baseDelaySeconds: 5, maxDelaySeconds: 30 },
    handler: async (p, ctx: JobContext) => {
      await drain({ limit: p.limit ?? 1000, jobId: ctx.jobId });
    },
  });
}
