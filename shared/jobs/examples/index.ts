// The example site's jobs: specs for producers (origin), handlers for the consumer (jobs Worker), and their ports.
import { pruneRetention } from "../../retention/index.ts";
import { sendCode } from "../../signin/index.ts";
import { eraseUserFiles } from "../../uploads/index.ts";
import { createRegistry, enqueue, type JobQueue } from "../registry.ts";
import { backfillCity } from "./backfill-city.ts";
import { flushCounters } from "./flush-counters.ts";
import { processUpload } from "./process-upload.ts";
import { searchFacets } from "./search-facets.ts";
import { sendConfirmation } from "./send-confirmation.ts";
import { siteJobs } from "./specs.ts";

export { type BackfillCityServices, backfillCity } from "./backfill-city.ts";
export { backfillCityBatch } from "./backfill-city-sql.ts";
export { type DrainCounters, type FlushCountersServices, flushCounters } from "./flush-counters.ts";
export { pgBackfillCity, pgRegistrations, pgUploadRows } from "./pg.ts";
export {
  metaKey,
  type ProcessUploadServices,
  processUpload,
  type UploadBucket,
  type UploadRows,
} from "./process-upload.ts";
export {
  type FacetMove,
  type FacetTruth,
  type SearchFacetsServices,
  searchFacets,
} from "./search-facets.ts";
export {
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
  searchFacetsSpec,
  sendConfirmationSpec,
  siteJobs,
  userFacetsJobId,
} from "./specs.ts";

/** Everything the jobs Worker runs. */
// Marked pure: the origin imports this file for the specs alone, and so its bundle can drop every handler.
export const siteJobHandlers = /* @__PURE__ */ createRegistry(
  sendCode,
  eraseUserFiles,
  sendConfirmation,
  processUpload,
  flushCounters,
  backfillCity,
  searchFacets,
  pruneRetention,
);

/** The periodic jobs, enqueued on every scheduled tick (each minute); retention once an hour. */
export async function enqueueSiteCron(queue: JobQueue, now = new Date()): Promise<string[]> {
  await enqueue(queue, siteJobs, "flush-counters", {});
  if (now.getUTCMinutes() !== 17) return ["flush-counters"];
  await enqueue(queue, siteJobs, "prune-retention", {});
  return ["flush-counters", "prune-retention"];
}
