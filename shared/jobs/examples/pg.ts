// Postgres (drizzle) implementations of the example jobs' ports: registrations, backfill, the uploads row updates.
import { and, eq, sql } from "drizzle-orm";
import { events, registrations, uploads } from "../../db/index.ts";
import type { PgDb } from "../store-pg.ts";
import type { BackfillCityServices } from "./backfill-city.ts";
import { backfillCityBatch } from "./backfill-city-sql.ts";
import type { UploadRows } from "./process-upload.ts";
import type { RegistrationLookup } from "./send-confirmation.ts";

export function pgRegistrations(db: PgDb): RegistrationLookup {
  return {
    async find(eventSlug, email) {
      const rows = await db
        .select({ registrationId: registrations.id, eventId: events.id, eventName: events.name })
        .from(registrations)
        .innerJoin(events, eq(events.id, registrations.eventId))
        .where(and(eq(events.slug, eventSlug), eq(registrations.email, email)))
        .limit(1);
      return rows[0] ?? null;
    },
  };
}

/** The backfill's batches on the primary (each its own statement, so its own short transaction). */
export function pgBackfillCity(db: PgDb): BackfillCityServices["backfillCityBatch"] {
  return async (afterId, size) => {
    const result = await db.execute<{ last_id: number | null; updated: number }>(
      backfillCityBatch(afterId, size),
    );
    const rows = Array.isArray(result)
      ? result
      : (result as { rows: { last_id: number | null; updated: number }[] }).rows;
    const row = rows[0];
    return { lastId: row?.last_id ?? null, updated: Number(row?.updated ?? 0) };
  };
}

/** `onChange` runs after a row changes, e.g. to purge the cached pages that show the upload. */
export function pgUploadRows(
  db: PgDb,
  onChange?: (row: { id: number; eventId: number | null; ownerId: number }) => Promise<void>,
): UploadRows {
  const update = async (uploadId: number, key: string, set: Partial<typeof uploads.$inferInsert>) => {
    const rows = await db
      .update(uploads)
      .set({ ...set, processedAt: sql`now()` })
      .where(and(eq(uploads.id, uploadId), eq(uploads.key, key)))
      .returning({ id: uploads.id, eventId: uploads.eventId, ownerId: uploads.ownerId });
    const row = rows[0];
    if (row && onChange) await onChange(row);
    return row !== undefined;
  };
  return {
    markReady: (uploadId, key, info) => update(uploadId, key, { ...info, status: "ready" }),
    // The schema has no reason column; the reason is in the job log and, on failure, the dead-job record.
    markRejected: (uploadId, key) => update(uploadId, key, { status: "rejected" }),
  };
}
