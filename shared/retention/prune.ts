// Pruning old rows in short batches: each batch one small DELETE, so no table is locked for long.
import { sql } from "drizzle-orm";
import type { PgDb } from "../jobs/index.ts";
import type { PruneTarget } from "./policy.ts";

export const PRUNE_BATCH = 1_000;

/** Deletes up to `limit` expired rows of one target; the number deleted (less than `limit` means done). */
export function pgPruneBatch(db: PgDb): (target: PruneTarget, limit: number) => Promise<number> {
  return async (target, limit) => {
    // Identifiers come from RETENTION_TARGETS (fixed), never from input; the window and limit are parameters.
    const table = sql.identifier(target.table);
    const column = sql.identifier(target.column);
    const result = await db.execute<{ n: number }>(sql`WITH gone AS (
  DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM ${table} WHERE ${column} < now() - make_interval(days => ${target.days}::int) LIMIT ${limit}::int
  ))
  RETURNING 1
)
SELECT count(*)::int AS n FROM gone`);
    const rows = Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows;
    return Number(rows[0]?.n ?? 0);
  };
}
