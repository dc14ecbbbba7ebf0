// Example job handler: email a registration's confirmation through the mail transport, once per job id.
import type { EmailTransport } from "../../email/index.ts";
import { defineJob, type JobContext } from "../registry.ts";
import { sendConfirmationSpec } from "./specs.ts";

export type Registration = { registrationId: number; eventId: number; eventName: string };

/** Finds a registration by its natural key (the job carries the key, not the data). */
export type RegistrationLookup = { find(eventSlug: string, email: string): Promise<Registration | null> };

export type SendConfirmationServices = {
  mail: EmailTransport;
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
    // The job id is the transport's idempotency key: redelivery after a send does not send again.
    await ctx.services.mail.send({
      id: ctx.jobId,
      to: p.email,
      kind: "registration-confirmation",
      subject: `You're registered: ${reg.eventName}`,
      text: `Hello ${p.name},\n\nyour registration #${reg.registrationId} for ${reg.eventName} is confirmed.\n`,
    });
    // Failing after the send is the hard case: the side effect happened, the job did not complete.
    if (
      globalThis.__TEST_HOOKS__ &&
      ctx.services.allowTestFailures &&
      p.failTimes !== undefined &&
      ctx.attempt <= p.failTimes
    ) {
      throw new Error(`test hook: failing attempt ${ctx.attempt} of ${p.failTimes}`);
    }
  },
});
