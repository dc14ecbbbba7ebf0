// The message envelope every job travels in: id (the idempotency key), name, payload, token, attempt base.
import * as z from "zod/mini";

/** Queues refuses messages over 128 000 bytes; keep headroom for the platform's own serialisation. */
export const MAX_ENVELOPE_BYTES = 126_000;

/** Read-your-writes token (defined in shared/db/token.ts); jobs only carry it through. */
export type RywToken = { lsn: string; at: number };

export type Envelope<Name extends string = string, Payload = unknown> = {
  /** uuid; the idempotency key the ledger records, kept across retries, holds and reruns */
  id: string;
  name: Name;
  payload: Payload;
  /** epoch ms */
  enqueuedAt: number;
  token?: RywToken;
  /** failed attempts already spent by earlier copies of this job (holds and reruns re-enqueue copies) */
  attempt?: number;
  /** how many times read-only mode has held this job; never counts toward death */
  holds?: number;
  /** the request that enqueued it: one id from the edge through the origin into the job's logs and errors */
  requestId?: string;
};

const tokenSchema = z.object({ lsn: z.string(), at: z.number() });

export const envelopeSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  payload: z.unknown(),
  enqueuedAt: z.number(),
  token: z.optional(tokenSchema),
  attempt: z.optional(z.number().check(z.int(), z.nonnegative())),
  holds: z.optional(z.number().check(z.int(), z.nonnegative())),
  requestId: z.optional(z.string().check(z.maxLength(200))),
});

export class EnvelopeTooLargeError extends Error {
  constructor(
    readonly jobName: string,
    readonly bytes: number,
  ) {
    super(
      `job "${jobName}" is ${bytes} bytes serialised; the limit is ${MAX_ENVELOPE_BYTES} (send a key, not the data)`,
    );
    this.name = "EnvelopeTooLargeError";
  }
}

export function envelopeBytes(envelope: Envelope): number {
  return new TextEncoder().encode(JSON.stringify(envelope)).byteLength;
}

export function assertEnvelopeSize(envelope: Envelope): void {
  const bytes = envelopeBytes(envelope);
  if (bytes > MAX_ENVELOPE_BYTES) throw new EnvelopeTooLargeError(envelope.name, bytes);
}
