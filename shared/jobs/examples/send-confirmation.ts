// Example job handler: write a registration's confirmation "email" to the outbox, exactly once per job id.
import { defineJob, type JobContext } from "../registry.ts";
import { sendConfirmationSpec } from "./specs.ts";

export type OutboxMessage = { jobId: string; kind: string; recipient: string; subject: string; body: string };

/** Must be idempotent by jobId (outbox.job_id is unique: INSERT … ON CONFLICT (job_id) DO NOTHING). */
export type OutboxWriter = { write(message: OutboxMessage): Promise<void> };

export type Registration = { registrationId: number; eventId: number; eventName: string };

/** Finds a registration by its natural key (the job carries the key, not the data). */
export type RegistrationLookup = { find(eventSlug: string, email: string): Promise<Registration | null> };

export type SendConfirmationServices = {
  outbox: OutboxWriter;
  registrations: RegistrationLookup;
  /** lets payload.failTimes make attempts fail; only ever true in local and CI runs */
  allowTestFailures?: boolean;
};

export const sendConfirmation = defineJob({
  ...sendConfirmationSpec,
  handler: async (p, ctx: JobContext<SendConfirmationServices>) => {
    const reg = await ctx.services.registrations.find(p.eventSlug, p.email);
    // Gone since (e.g. the account was deleted): nothing to confirm.
    if (!reg) return;
    await ctx.services.outbox.write({
      jobId: ctx.jobId,
      kind: "registration-confirmation",
      recipient: p.email,
      subject: `You're registered: ${reg.eventName}`,
      body: `Hello ${p.name},\n\nyour registration #${reg.registrationId} for ${reg.eventName} is confirmed.\n`,
    });
    // Failing after the write is the hard case: the side effect happened, the job did not complete.
    if (ctx.services.allowTestFailures && p.failTimes !== undefined && ctx.attempt <= p.failTimes) {
      throw new Error(`test hook: failing attempt ${ctx.attempt} of ${p.failTimes}`);
    }
  },
});
