// Database errors that mean something to a client: bad input → 4xx, an unreachable database → 503, read-only → 503.
import { HTTPException } from "hono/http-exception";

/** SQLSTATE read_only_sql_transaction: a write inside READ ONLY, or on a hot standby. */
export const READ_ONLY_SQLSTATE = "25006";
export const READ_ONLY_RETRY_AFTER_S = 60;
/** How long a client should wait before retrying after the database did not answer in time. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** A round trip that did not finish within its deadline (the fetch or socket was abandoned, not answered). */
export class DatabaseTimeoutError extends Error {
  constructor(
    readonly pool: string,
    readonly timeoutMs: number,
  ) {
    super(`${pool} did not answer within ${timeoutMs} ms`);
    this.name = "DatabaseTimeoutError";
  }
}

export function sqlState(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  // drizzle wraps driver errors in DrizzleQueryError with the driver's error as `cause`.
  return sqlState((error as { cause?: unknown }).cause);
}

export function isReadOnlyViolation(error: unknown): boolean {
  return sqlState(error) === READ_ONLY_SQLSTATE;
}

/**
 * True for "could not reach the database" (a timeout, no SQLSTATE, class 08 connection exception, 57P0x
 * shutdown), false for an answer from Postgres (a real SQL error is the query's result, not an outage).
 */
export function isConnectionFailure(error: unknown): boolean {
  if (findCause(error, (e) => e instanceof DatabaseTimeoutError)) return true;
  const code = sqlState(error);
  if (code === undefined || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith("08") || code.startsWith("57P");
}

// Classes of SQLSTATE that mean the request carried a value Postgres cannot take (never our SQL being wrong).
const BAD_INPUT = new Set(["22P02", "22003", "22021", "22001", "22007", "22008", "22023", "2201B", "22P05"]);
const UNAVAILABLE = new Set(["57014", "53300", "53400", "40001", "40P01"]);

/**
 * The HTTP meaning of a database error, or the error itself when it has none (a bug: the safe 500). Drizzle's
 * messages carry SQL and parameters, so nothing of the original message is ever sent out.
 */
export function mapDbError(error: unknown): unknown {
  if (error instanceof HTTPException) return error;
  // The origin's onError answers this one first with the read-only page; other callers get the same 503.
  if (isReadOnlyViolation(error)) {
    const message =
      "The site is in read-only mode for maintenance; changes are not being saved. Try again shortly.";
    const res = new Response(message, {
      status: 503,
      headers: {
        "Retry-After": String(READ_ONLY_RETRY_AFTER_S),
        "Content-Type": "text/plain; charset=utf-8",
      },
    });
    return new HTTPException(503, { message, res, cause: error });
  }
  const code = sqlState(error);
  if (code && BAD_INPUT.has(code)) {
    return new HTTPException(400, { message: "A value in the request is not valid here.", cause: error });
  }
  if (code === "23503") {
    return new HTTPException(404, {
      message: "The request refers to something that does not exist.",
      cause: error,
    });
  }
  if (code === "23505") {
    return new HTTPException(409, { message: "That already exists.", cause: error });
  }
  if ((code && UNAVAILABLE.has(code)) || isOutage(error)) {
    return new DatabaseUnavailable(error);
  }
  return error;
}

/** 503 with Retry-After: the database (or the way to it) did not answer; the origin's error page says so. */
export class DatabaseUnavailable extends HTTPException {
  readonly retryAfter = UNAVAILABLE_RETRY_AFTER_S;
  constructor(cause: unknown) {
    super(503, { message: "The database is not answering right now.", cause });
  }
}

/**
 * The database (or the way to it) did not answer: a deadline passed or the connection was refused or dropped.
 * An answer from Postgres, even an error, is never an outage.
 */
export function isOutage(error: unknown): boolean {
  if (findCause(error, (e) => e instanceof DatabaseTimeoutError)) return true;
  const code = sqlState(error);
  // Class 08 (connection exception), 57P0x (shutting down), and a socket's own errno (ECONNREFUSED…).
  if (code && /^(08|57P0|E[A-Z]{4,})/.test(code)) return true;
  // The Neon drivers report a refused or dropped connection without a SQLSTATE.
  return (
    findCause(
      error,
      (e) =>
        e instanceof Error &&
        /Error connecting to database|ECONNREFUSED|WebSocket|Connection terminated|socket/i.test(e.message),
    ) !== null
  );
}

function findCause(error: unknown, test: (e: unknown) => boolean, depth = 0): unknown {
  if (error === null || error === undefined || depth > 5) return null;
  if (test(error)) return error;
  return typeof error === "object" ? findCause((error as { cause?: unknown }).cause, test, depth + 1) : null;
}
