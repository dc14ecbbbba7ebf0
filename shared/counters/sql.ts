// One UPDATE for a whole drained batch: `counter = counter + v.n` joined against unnest(ids, counts).
import { type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";

export type IdType = "integer" | "bigint" | "text";

/**
 * `UPDATE <table> SET <counter> = <counter> + v.n FROM unnest($1::<id>[], $2::bigint[]) AS v(id, n)
 * WHERE <id> = v.id` — two array parameters whatever the batch size (no 65k-parameter limit, one plan).
 * Returns null for an empty batch. Example: `addCountsSql(talks, talks.id, talks.views, counts)`.
 */
export function addCountsSql(
  table: PgTable,
  idColumn: PgColumn,
  counterColumn: PgColumn,
  counts: ReadonlyMap<string, number>,
  idType: IdType = "integer",
): SQL | null {
  if (counts.size === 0) return null;
  const ids = [...counts.keys()].map((id) => (idType === "text" ? id : Number(id)));
  const deltas = [...counts.values()];
  if (idType !== "text" && ids.some((id) => !Number.isSafeInteger(id))) {
    throw new TypeError(`addCountsSql: non-integer id in a batch for an ${idType} column`);
  }
  return sql`update ${table} set ${sql.identifier(counterColumn.name)} = ${counterColumn} + v.n from unnest(${sql.param(ids)}::${sql.raw(idType)}[], ${sql.param(deltas)}::bigint[]) as v(id, n) where ${idColumn} = v.id`;
}
