// One batch of the events.city backfill (expand/contract step 2): a job runs it until it returns no last_id.
import { type SQL, sql } from "drizzle-orm";

/**
 * Fills `city` for up to `size` events with id > `lastId`, taking it from the venue's last comma-separated
 * part ("LX Factory, Lisbon" → "Lisbon"; no comma → "TBA"). Keyset pagination keeps each batch an index
 * range scan and each batch's own short transaction keeps row locks brief; rows that already have a city
 * (dual-written by the app since the expand deploy) are left alone.
 * Result: one row `{ last_id: number | null, updated: number }`; call again with `last_id` until it is null.
 */
export function backfillCityBatch(lastId: number, size: number): SQL {
  if (!Number.isSafeInteger(lastId) || lastId < 0)
    throw new RangeError(`lastId must be an integer ≥ 0, got ${lastId}`);
  if (!Number.isSafeInteger(size) || size < 1 || size > 10_000)
    throw new RangeError(`size must be an integer in 1..10000, got ${size}`);
  return sql`WITH batch AS (
  SELECT id FROM events WHERE id > ${lastId} ORDER BY id LIMIT ${size}
), updated AS (
  UPDATE events e
     SET city = CASE WHEN e.venue LIKE '%,%' THEN btrim(regexp_replace(e.venue, '^.*,', '')) ELSE 'TBA' END
    FROM batch
   WHERE e.id = batch.id AND e.city IS NULL
  RETURNING e.id
)
SELECT (SELECT max(id) FROM batch)::int AS last_id, (SELECT count(*) FROM updated)::int AS updated`;
}
