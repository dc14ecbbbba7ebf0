// The example site's jobs: registries for the producer (origin) and the consumer (jobs Worker), and their ports.
import { createRegistry } from "../registry.ts";
import { type DrainCounters, flushCountersJob } from "./flush-counters.ts";
import { processUpload } from "./process-upload.ts";
import { sendConfirmation } from "./send-confirmation.ts";

export { type DrainCounters, flushCountersJob, flushCountersSchema } from "./flush-counters.ts";
export { pgOutbox, pgUploadRows } from "./pg.ts";
export {
  metaKey,
  type ProcessUploadServices,
  processUpload,
  processUploadSchema,
  type UploadBucket,
  type UploadRows,
} from "./process-upload.ts";
export {
  type OutboxMessage,
  type OutboxWriter,
  type SendConfirmationServices,
  sendConfirmation,
  sendConfirmationSchema,
} from "./send-confirmation.ts";

/** What the origin enqueues: `createEnqueue(siteJobs)` type-checks names and payloads. */
export const siteJobs = createRegistry(sendConfirmation, processUpload);

/** Everything the jobs Worker runs, including the cron-driven counter flush. */
export function createJobsRegistry(drainCounters: DrainCounters) {
  return createRegistry(sendConfirmation, processUpload, flushCountersJob(drainCounters));
}
