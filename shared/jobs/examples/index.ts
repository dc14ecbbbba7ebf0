// The example site's jobs: registries for the producer (origin) and the consumer (jobs Worker), and their ports.
import { createRegistry, enqueue, type JobQueue } from "../registry.ts";
import { type DrainCounters, flushCountersJob } from "./flush-counters.ts";
import { processUpload } from "./process-upload.ts";
import { searchFacets } from "./search-facets.ts";
import { sendConfirmation } from "./send-confirmation.ts";

export { type DrainCounters, flushCountersJob, flushCountersSchema } from "./flush-counters.ts";
export { pgOutbox, pgRegistrations, pgUploadRows } from "./pg.ts";
export {
  metaKey,
  type ProcessUploadServices,
  processUpload,
  processUploadSchema,
  type UploadBucket,
  type UploadRows,
} from "./process-upload.ts";
export {
  type FacetMove,
  type FacetTruth,
  type SearchFacetsServices,
  searchFacets,
  searchFacetsSchema,
  userFacetsJobId,
} from "./search-facets.ts";
export {
  confirmationJobId,
  type OutboxMessage,
  type OutboxWriter,
  type Registration,
  type RegistrationLookup,
  type SendConfirmationServices,
  sendConfirmation,
  sendConfirmationSchema,
} from "./send-confirmation.ts";

/** What the origin enqueues: `createEnqueue(siteJobs)` type-checks names and payloads. */
export const siteJobs = createRegistry(sendConfirmation, processUpload, searchFacets);

/** Everything the jobs Worker runs, including the cron-driven counter flush. */
export function createJobsRegistry(drainCounters: DrainCounters) {
  return createRegistry(sendConfirmation, processUpload, searchFacets, flushCountersJob(drainCounters));
}

/** The site's periodic jobs, enqueued on every scheduled tick. */
export async function enqueueSiteCron(queue: JobQueue): Promise<string[]> {
  await enqueue(queue, cronJobs, "flush-counters", {});
  return ["flush-counters"];
}

const cronJobs = createRegistry(flushCountersJob(async () => {}));
