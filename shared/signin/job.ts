// The job that emails a code: staged with the code's row in one transaction, sent once through the mail transport.
import * as z from "zod/mini";
import type { EmailTransport } from "../email/index.ts";
import { defineJob, type JobContext, jobSpec } from "../jobs/index.ts";
import { CODE_DIGITS } from "./code.ts";
import { codeEmail } from "./mail.ts";
import { PURPOSES } from "./policy.ts";

export const sendCodeSpec = jobSpec({
  name: "send-code",
  schema: z.object({
    to: z.email().check(z.maxLength(200)),
    purpose: z.enum(PURPOSES),
    code: z.string().check(z.regex(new RegExp(`^[0-9]{${CODE_DIGITS}}$`))),
    site: z.string().check(z.minLength(1), z.maxLength(100)),
  }),
  // A code lives ten minutes: retrying for longer only sends a dead code.
  retry: { maxAttempts: 5, baseDelaySeconds: 2, maxDelaySeconds: 60 },
  writes: false,
});

export type SendCodeServices = { mail: EmailTransport };

export const sendCode = defineJob({
  ...sendCodeSpec,
  handler: async (p, ctx: JobContext<SendCodeServices>) => {
    const { subject, text } = codeEmail(p.site, p.purpose, p.code);
    // The job id is the transport's idempotency key: a retry after a lost answer sends nothing new.
    await ctx.services.mail.send({ id: ctx.jobId, to: p.to, subject, text, kind: `code:${p.purpose}` });
  },
});
