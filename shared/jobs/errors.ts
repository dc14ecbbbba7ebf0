// Errors a job can raise or meet: holds (read-only mode) and payloads that can never succeed.

/** SQLSTATE read_only_sql_transaction: Postgres refused a write (read-only transaction or replica). */
export const READ_ONLY_SQLSTATE = "25006";

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

function codeOf(err: unknown): unknown {
  return typeof err === "object" && err !== null && "code" in err ? err.code : undefined;
}

function causeOf(err: unknown): unknown {
  return typeof err === "object" && err !== null && "cause" in err ? err.cause : undefined;
}

/** A hold is a HoldError or a Postgres read-only refusal anywhere in the cause chain (drizzle wraps errors). */
export function isHold(err: unknown): boolean {
  let current = err;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (current instanceof HoldError || codeOf(current) === READ_ONLY_SQLSTATE) return true;
    if (typeof current === "object" && "name" in current && current.name === "ReadOnlyError") return true;
    current = causeOf(current);
  }
  return false;
}

/** A retry delay the error asks for, if any (HoldError.retryAfterSeconds). */
export function requestedDelay(err: unknown): number | undefined {
  return err instanceof HoldError ? err.retryAfterSeconds : undefined;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 2000);
  return String(err).slice(0, 2000);
}
