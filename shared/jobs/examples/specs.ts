// The example site's jobs as producers know them: names, payload schemas, retry policies. Handlers live apart.
import * as z from "zod/mini";
import { MAX_INT4 } from "../../http/index.ts";
import { pruneRetentionSpec } from "../../retention/index.ts";
import { sendCodeSpec } from "../../signin/index.ts";
import { eraseUserFilesSpec, parseUploadKey } from "../../uploads/index.ts";
import { createRegistry, jobSpec } from "../registry.ts";

export const sendConfirmationSpec = jobSpec({
  name: "send-confirmation",
  schema: z.object({
    eventSlug: z.string().check(z.minLength(1), z.maxLength(200)),
    email: z.email(),
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    // Test hook: fail the first n attempts after the write, to prove redelivery does not send twice. Deployed
    // bundles compile the field out and drop it like any unknown one; its type (optional) holds in both.
    ...(globalThis.__TEST_HOOKS__
      ? { failTimes: z.optional(z.number().check(z.int(), z.gte(0), z.lte(10))) }
      : ({} as { failTimes: z.ZodMiniOptional<z.ZodMiniNumber<number>> })),
  }),
  retry: { maxAttempts: 5, baseDelaySeconds: 2, maxDelaySeconds: 120 },
});

export const processUploadSpec = jobSpec({
  name: "process-upload",
  schema: z.object({
    key: z
      .string()
      .check(z.refine((k) => parseUploadKey(k) !== null, "not an upload key (u/<userId>/<uuid>.<ext>)")),
    uploadId: z.number().check(z.int(), z.positive()),
  }),
  // The client may still be uploading when the job first runs: retry for a few minutes before giving up.
  retry: { maxAttempts: 6, baseDelaySeconds: 10, maxDelaySeconds: 300 },
});

export const flushCountersSpec = jobSpec({
  name: "flush-counters",
  schema: z.object({ limit: z.optional(z.number().check(z.int(), z.positive(), z.lte(10_000))) }),
  // Runs every minute from cron: a failed run is superseded by the next one, so do not retry for long.
  retry: { maxAttempts: 3, baseDelaySeconds: 5, maxDelaySeconds: 30 },
});

export const backfillCitySpec = jobSpec({
  name: "backfill-city",
  schema: z.object({
    afterId: z._default(z.number().check(z.int(), z.gte(0)), 0),
    batchSize: z._default(z.number().check(z.int(), z.gte(1), z.lte(10_000)), 500),
  }),
  retry: { maxAttempts: 5, baseDelaySeconds: 5, maxDelaySeconds: 60 },
});

export const searchFacetsSpec = jobSpec({
  name: "search-facets",
  schema: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("user"), email: z.email().check(z.maxLength(200)) }),
    z.object({ kind: z.literal("talk"), talkId: z.number().check(z.int(), z.gte(1), z.lte(MAX_INT4)) }),
  ]),
  retry: { maxAttempts: 8, baseDelaySeconds: 2, maxDelaySeconds: 300 },
  // Redis only: it may run while the site is read-only.
  writes: false,
});

/** Everything the site enqueues: `createEnqueue(siteJobs)` / `buildEnvelope(siteJobs, …)` type-check payloads. */
export const siteJobs = createRegistry(
  sendCodeSpec,
  eraseUserFilesSpec,
  sendConfirmationSpec,
  processUploadSpec,
  flushCountersSpec,
  backfillCitySpec,
  searchFacetsSpec,
  pruneRetentionSpec,
);

/** One confirmation per registration, whatever retries the writer makes: the id is derived from its natural key. */
export async function confirmationJobId(eventSlug: string, email: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${eventSlug}\n${email}`));
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `confirm:${hex}`;
}

/** One facet job per registration (a retried post stages it once), like its confirmation. */
export async function userFacetsJobId(eventSlug: string, email: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`facets\n${eventSlug}\n${email}`),
  );
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `search-user:${hex}`;
}
