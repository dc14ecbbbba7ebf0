// Example job handler: drain buffered counters (e.g. talk views in Redis) into Postgres with the wired drain.
import { defineJob, type JobContext } from "../registry.ts";
import { flushCountersSpec } from "./specs.ts";

/**
 * `drain` must be safe to retry: it runs again after a failure or a read-only hold, so take counts from the
 * buffer only once they are committed (or write them with the job id as an idempotency key).
 */
export type DrainCounters = (opts: { limit: number; jobId: string }) => Promise<unknown>;

export type FlushCountersServices = { drainCounters: DrainCounters };

export const flushCounters = defineJob({
  ...flushCountersSpec,
  handler: async (p, ctx: JobContext<FlushCountersServices>) => {
    await ctx.services.drainCounters({ limit: p.limit ?? 1000, jobId: ctx.jobId });
  },
});
