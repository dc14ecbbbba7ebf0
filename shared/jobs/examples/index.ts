// The example site's jobs: specs for producers (origin), handlers for the consumer (jobs Worker), and their ports.
import { createRegistry, enqueue, type JobQueue } from "../registry.ts";
import { backfillCity } from "./backfill-city.ts";
import { flushCounters } from "./flush-counters.ts";
import { processUpload } from "./process-upload.ts";
import { sendConfirmation } from "./send-confirmation.ts";
import { siteJobs } from "./specs.ts";

export { type BackfillCityServices, backfillCity } from "./backfill-city.ts";
export { backfillCityBatch } from "./backfill-city-sql.ts";
export { type DrainCounters, type FlushCountersServices, flushCounters } from "./flush-counters.ts";
export { pgBackfillCity, pgOutbox, pgRegistrations, pgUploadRows } from "./pg.ts";
export {
  metaKey,
  type ProcessUploadServices,
  processUpload,
  type UploadBucket,
  type UploadRows,
} from "./process-upload.ts";
export {
  type OutboxMessage,
  type OutboxWriter,
  type Registration,
  type RegistrationLookup,
  type SendConfirmationServices,
  sendConfirmation,
} from "./send-confirmation.ts";
export {
  backfillCitySpec,
  confirmationJobId,
  flushCountersSpec,
  processUploadSpec,
  sendConfirmationSpec,
  siteJobs,
} from "./specs.ts";

/** Everything the jobs Worker runs. */
export const siteJobHandlers = createRegistry(sendConfirmation, processUpload, flushCounters, backfillCity);

/** The site's periodic jobs, enqueued on every scheduled tick. */
export async function enqueueSiteCron(queue: JobQueue): Promise<string[]> {
  await enqueue(queue, siteJobs, "flush-counters", {});
  return ["flush-counters"];
}
