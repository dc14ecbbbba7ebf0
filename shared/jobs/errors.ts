// Errors a job can raise or meet: holds (read-only mode) and payloads that can never succeed.
import { isReadOnlyViolation } from "../db/index.ts";

/**
 * Thrown by a handler (or the data layer) when it must not write now: the consumer re-enqueues the job
 * with a delay and does not count the attempt toward death.
 */
export class HoldError extends Error {
  constructor(
    message = "writes are paused (read-only mode)",
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "HoldError";
  }
}

/** The payload or envelope can never be valid: retrying would only repeat the failure. */
export class JobPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobPayloadError";
  }
}

/**
 * Retrying cannot help: a bad payload, or an error that says so itself (`permanent: true`, e.g. a mail provider
 * refusing an address). The job goes dead at once instead of using up its attempts.
 */
export function isPermanent(err: unknown): boolean {
  return err instanceof JobPayloadError || (err as { permanent?: unknown } | null)?.permanent === true;
}

/** A hold is a HoldError or Postgres refusing the write as read-only (the data layer's one detector). */
export function isHold(err: unknown): boolean {
  return err instanceof HoldError || isReadOnlyViolation(err);
}

/** A retry delay the error asks for, if any (HoldError.retryAfterSeconds). */
export function requestedDelay(err: unknown): number | undefined {
  return err instanceof HoldError ? err.retryAfterSeconds : undefined;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 2000);
  return String(err).slice(0, 2000);
}
