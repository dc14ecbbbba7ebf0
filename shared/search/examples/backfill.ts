// One batch of the search-document backfill (expand/contract step 2 for the search_vector columns): rows older
// than the triggers get their document from the same function the triggers use.
import { type SQL, sql } from "drizzle-orm";

export const BACKFILL_TABLES = ["events", "talks"] as const;
export type BackfillTable = (typeof BACKFILL_TABLES)[number];

/**
 * Fills `search_vector` for up to `size` rows with id > `lastId` that still have none. Keyset pagination keeps
 * each batch an index range scan, and each batch is its own short statement, so row locks are brief.
 * Result: one row `{ last_id, updated }`; call again with `last_id` until it is null.
 */
export function backfillSearchBatch(table: BackfillTable, lastId: number, size: number): SQL {
  if (!Number.isSafeInteger(lastId) || lastId < 0)
    throw new RangeError(`lastId must be an integer ≥ 0, got ${lastId}`);
  if (!Number.isSafeInteger(size) || size < 1 || size > 10_000)
    throw new RangeError(`size must be an integer in 1..10000, got ${size}`);
  const update =
    table === "events"
      ? sql`UPDATE events x
     SET search_vector = event_search_document(x.name, x.venue, x.city, x.description)
    FROM batch WHERE x.id = batch.id AND x.search_vector IS NULL RETURNING x.id`
      : sql`UPDATE talks x
     SET search_vector = talk_search_document(x.title, x.speaker, x.abstract, e.name, e.venue, e.city)
    FROM batch, events e WHERE x.id = batch.id AND e.id = x.event_id AND x.search_vector IS NULL RETURNING x.id`;
  return sql`WITH batch AS (
  SELECT id FROM ${sql.identifier(table)} WHERE id > ${lastId} ORDER BY id LIMIT ${size}
), updated AS (
  ${update}
)
SELECT (SELECT max(id) FROM batch)::int AS last_id, (SELECT count(*) FROM updated)::int AS updated`;
}
