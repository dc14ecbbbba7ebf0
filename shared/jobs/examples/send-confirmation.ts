// Example job: write a registration's confirmation "email" to the outbox, exactly once per job id.
import { z } from "zod";
import { defineJob, type JobContext } from "../registry.ts";

export type OutboxMessage = { jobId: string; kind: string; recipient: string; subject: string; body: string };

/** Must be idempotent by jobId (outbox.job_id is unique: INSERT … ON CONFLICT (job_id) DO NOTHING). */
export type OutboxWriter = { write(message: OutboxMessage): Promise<void> };

export type SendConfirmationServices = {
  outbox: OutboxWriter;
  /** lets payload.failTimes make attempts fail; only ever true in local and CI runs */
  allowTestFailures?: boolean;
};

export const sendConfirmationSchema = z.object({
  registrationId: z.number().int().positive(),
  eventId: z.number().int().positive(),
  email: z.email(),
  name: z.string().min(1).max(200),
  /** test hook: fail the first n attempts after the write, to prove redelivery does not send twice */
  failTimes: z.number().int().min(0).max(10).optional(),
});

export const sendConfirmation = defineJob({
  name: "send-confirmation",
  schema: sendConfirmationSchema,
  retry: { maxAttempts: 5, baseDelaySeconds: 2, maxDelaySeconds: 120 },
  handler: async (p, ctx: JobContext<SendConfirmationServices>) => {
    await ctx.services.outbox.write({
      jobId: ctx.jobId,
      kind: "registration-confirmation",
      recipient: p.email,
      subject: `You're registered (event #${p.eventId})`,
      body: `Hello ${p.name},\n\nyour registration #${p.registrationId} for event #${p.eventId} is confirmed.\n`,
    });
    // Failing after the write is the hard case: the side effect happened, the job did not complete.
    if (ctx.services.allowTestFailures && p.failTimes !== undefined && ctx.attempt <= p.failTimes) {
      throw new Error(`test hook: failing attempt ${ctx.attempt} of ${p.failTimes}`);
    }
  },
});
