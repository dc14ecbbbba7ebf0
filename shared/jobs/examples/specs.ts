// The example site's jobs as producers know them: names, payload schemas, retry policies. Handlers live apart.
import { z } from "zod";
import { parseUploadKey } from "../../uploads/index.ts";
import { createRegistry, jobSpec } from "../registry.ts";

export const sendConfirmationSpec = jobSpec({
  name: "send-confirmation",
  schema: z.object({
    eventSlug: z.string().min(1).max(200),
    email: z.email(),
    name: z.string().min(1).max(200),
    /** test hook: fail the first n attempts after the write, to prove redelivery does not send twice */
    failTimes: z.number().int().min(0).max(10).optional(),
  }),
  retry: { maxAttempts: 5, baseDelaySeconds: 2, maxDelaySeconds: 120 },
});

export const processUploadSpec = jobSpec({
  name: "process-upload",
  schema: z.object({
    key: z.string().refine((k) => parseUploadKey(k) !== null, "not an upload key (u/<userId>/<uuid>.<ext>)"),
    uploadId: z.number().int().positive(),
  }),
  // The client may still be uploading when the job first runs: retry for a few minutes before giving up.
  retry: { maxAttempts: 6, baseDelaySeconds: 10, maxDelaySeconds: 300 },
});

export const flushCountersSpec = jobSpec({
  name: "flush-counters",
  schema: z.object({ limit: z.number().int().positive().max(10_000).optional() }),
  // Runs every minute from cron: a failed run is superseded by the next one, so do not retry for long.
  retry: { maxAttempts: 3, baseDelaySeconds: 5, maxDelaySeconds: 30 },
});

export const backfillCitySpec = jobSpec({
  name: "backfill-city",
  schema: z.object({
    afterId: z.number().int().min(0).default(0),
    batchSize: z.number().int().min(1).max(10_000).default(500),
  }),
  retry: { maxAttempts: 5, baseDelaySeconds: 5, maxDelaySeconds: 60 },
});

/** Everything the site enqueues: `createEnqueue(siteJobs)` / `buildEnvelope(siteJobs, …)` type-check payloads. */
export const siteJobs = createRegistry(
  sendConfirmationSpec,
  processUploadSpec,
  flushCountersSpec,
  backfillCitySpec,
);

/** One confirmation per registration, whatever retries the writer makes: the id is derived from its natural key. */
export async function confirmationJobId(eventSlug: string, email: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${eventSlug}\n${email}`));
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `confirm:${hex}`;
}
