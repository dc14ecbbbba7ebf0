// Database errors that mean something to a client: Postgres refusing writes (read-only mode) becomes a 503.
import { HTTPException } from "hono/http-exception";

/** SQLSTATE read_only_sql_transaction: a write inside READ ONLY, or on a hot standby. */
export const READ_ONLY_SQLSTATE = "25006";
export const READ_ONLY_RETRY_AFTER_S = 60;

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

/** The 503 a write gets while the site is read-only; everything else passes through unchanged. */
export function mapDbError(error: unknown): unknown {
  if (!isReadOnlyViolation(error)) return error;
  const message =
    "The site is in read-only mode for maintenance; changes are not being saved. Try again shortly.";
  const res = new Response(message, {
    status: 503,
    headers: { "Retry-After": String(READ_ONLY_RETRY_AFTER_S), "Content-Type": "text/plain; charset=utf-8" },
  });
  return new HTTPException(503, { message, res, cause: error });
}
