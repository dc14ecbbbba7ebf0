// The job that erases a deleted account's files from R2: every object under the user's key prefix, in pages.
import * as z from "zod/mini";
import { MAX_INT4 } from "../http/index.ts";
import { defineJob, type JobContext, jobSpec } from "../jobs/index.ts";

export const eraseUserFilesSpec = jobSpec({
  name: "erase-user-files",
  schema: z.object({ userId: z.number().check(z.int(), z.gte(1), z.lte(MAX_INT4)) }),
  retry: { maxAttempts: 8, baseDelaySeconds: 5, maxDelaySeconds: 600 },
  // R2 only: it may run while the database is read-only.
  writes: false,
});

/** The slice of an R2 binding this job uses (an R2Bucket fits). */
export type ErasableBucket = {
  list(o: { prefix: string; cursor?: string; limit?: number }): Promise<{
    objects: { key: string }[];
    truncated: boolean;
    cursor?: string;
  }>;
  delete(keys: string | string[]): Promise<void>;
};

export type EraseUserFilesServices = { uploadsBucket: ErasableBucket };

/** Upload keys are `u/<userId>/<uuid>.<ext>` (policy.ts), metadata beside them: one prefix holds them all. */
export const userPrefix = (userId: number) => `u/${userId}/`;

export const eraseUserFiles = defineJob({
  ...eraseUserFilesSpec,
  handler: async ({ userId }, ctx: JobContext<EraseUserFilesServices>) => {
    const bucket = ctx.services.uploadsBucket;
    // Listing again from the start each page: deleted keys are gone, so a retry resumes where the last run stopped.
    for (;;) {
      const page = await bucket.list({ prefix: userPrefix(userId), limit: 1000 });
      if (page.objects.length === 0) return;
      await bucket.delete(page.objects.map((o) => o.key));
      if (!page.truncated) return;
    }
  },
});
