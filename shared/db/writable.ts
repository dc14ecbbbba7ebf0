// Whether the primary takes writes right now: reachable, not a standby, not read-only by default.
import { neon } from "@neondatabase/serverless";

export type Writable = { healthy: boolean; detail: string };

/** One round trip, no write: a standby (failover) and `default_transaction_read_only` both show here. */
export const WRITABLE_SQL =
  "select pg_is_in_recovery() as recovery, current_setting('transaction_read_only') as read_only";

/** Pure. The verdict on the probe's row. */
export function writableFrom(row: Record<string, unknown> | undefined): Writable {
  if (!row) return { healthy: false, detail: "the primary answered no row" };
  if (row.recovery === true || row.recovery === "t")
    return { healthy: false, detail: "the primary is a standby (in recovery)" };
  if (row.read_only !== "off") return { healthy: false, detail: "the primary is read-only" };
  return { healthy: true, detail: "the primary takes writes" };
}

/** Never throws: an unreachable or slow primary is an unhealthy answer, with the reason. */
export async function probeWritable(url: string, timeoutMs: number): Promise<Writable> {
  try {
    const query = neon(url, { fetchOptions: { signal: AbortSignal.timeout(timeoutMs) } });
    const rows = (await query.query(WRITABLE_SQL)) as Record<string, unknown>[];
    return writableFrom(rows[0]);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { healthy: false, detail: `the primary did not answer: ${reason.slice(0, 200)}` };
  }
}
