// Write helpers that never read-modify-write: atomic counters and optimistic concurrency (409 on conflict).
import { type AnyColumn, and, eq, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgDatabase, PgQueryResultHKT, PgTable, PgUpdateSetSource } from "drizzle-orm/pg-core";

/** `SET n = n + by` evaluated by Postgres, so concurrent increments all count. */
export function increment(column: AnyColumn, by = 1): SQL {
  return sql`${column} + ${by}`;
}

export type VersionedTable = PgTable & { id: PgColumn; version: PgColumn };
export type VersionResult<Row> = { ok: true; version: number } | { ok: false; current: Row | null };

type AnyPgDatabase = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

/**
 * Applies `values` only if the row still has `expectedVersion`, bumping the version in the same
 * statement. On conflict, returns the current row (null if it is gone) so the caller can answer 409
 * (or 404) with what changed. Pass the primary: a replica could show an older version.
 */
export async function updateIfVersion<T extends VersionedTable>(
  db: AnyPgDatabase,
  table: T,
  id: number,
  expectedVersion: number,
  values: PgUpdateSetSource<T>,
): Promise<VersionResult<T["$inferSelect"]>> {
  const set = { ...values, version: increment(table.version) } as PgUpdateSetSource<T>;
  const updated = await db
    .update(table)
    .set(set)
    .where(and(eq(table.id, id), eq(table.version, expectedVersion)))
    .returning({ version: table.version });
  const row = updated[0];
  if (row) return { ok: true, version: Number(row.version) };
  const current = await db
    .select()
    .from(table as PgTable)
    .where(eq(table.id, id))
    .limit(1);
  return { ok: false, current: (current[0] as T["$inferSelect"] | undefined) ?? null };
}
