// Postgres source of truth for flags and segments: every write and its audit row go in ONE SQL statement.
import { desc, eq, type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { flagAudit, flags } from "../db/index.ts";
import {
  type AuditEntry,
  assertFlagKey,
  assertSegmentName,
  assertValidFlag,
  assertValidSegment,
  type FlagRow,
  type FlagStore,
  isSegmentKey,
  segmentKey,
} from "./store.ts";

/** Any drizzle Postgres database: neon-http (the origin), neon-serverless, node-postgres (tests). */
export type PgDb = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const toRow = (r: typeof flags.$inferSelect): FlagRow => ({
  key: r.key,
  doc: r.doc,
  updatedAt: iso(r.updatedAt),
  updatedBy: r.updatedBy,
});

/** `.rows` of a raw result: every drizzle pg driver returns them there (neon-http with fullResults). */
function rowCount(result: unknown): number {
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? rows.length : Array.isArray(result) ? result.length : 0;
}

/** Every flag and segment row (the snapshot's input), ordered by key. */
export async function listRows(db: PgDb): Promise<FlagRow[]> {
  return (await db.select().from(flags).orderBy(flags.key)).map(toRow);
}

export async function listFlags(db: PgDb): Promise<FlagRow[]> {
  return (await listRows(db)).filter((r) => !isSegmentKey(r.key));
}

export async function listSegments(db: PgDb): Promise<FlagRow[]> {
  return (await listRows(db)).filter((r) => isSegmentKey(r.key));
}

export async function getRow(db: PgDb, key: string): Promise<FlagRow | null> {
  const [row] = await db.select().from(flags).where(eq(flags.key, key)).limit(1);
  return row ? toRow(row) : null;
}

export const getFlag = (db: PgDb, key: string): Promise<FlagRow | null> => getRow(db, key);

/**
 * Upsert plus audit row as one statement: `prev` reads the old document in the same snapshot the write
 * happens in, and the audit INSERT only runs when the upsert returned a row. Returns false when `expect`
 * (see FlagStore) did not hold, in which case nothing was written.
 */
export async function putRow(
  db: PgDb,
  key: string,
  doc: unknown,
  actor: string,
  expect?: unknown,
): Promise<boolean> {
  const json = JSON.stringify(doc);
  // A conditional write must not resurrect a row deleted since it was read.
  const guard: SQL = expect === undefined || expect === null ? sql`TRUE` : sql`EXISTS (SELECT 1 FROM prev)`;
  const onConflict: SQL =
    expect === null
      ? sql`DO NOTHING`
      : sql`DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            ${expect === undefined ? sql`` : sql`WHERE flags.doc = ${JSON.stringify(expect)}::jsonb`}`;
  const result = await db.execute(sql`
    WITH prev AS (SELECT doc FROM flags WHERE key = ${key}),
    up AS (
      INSERT INTO flags (key, doc, updated_at, updated_by)
      SELECT ${key}, ${json}::jsonb, now(), ${actor} WHERE ${guard}
      ON CONFLICT (key) ${onConflict}
      RETURNING key
    )
    INSERT INTO flag_audit (key, actor, before, after)
    SELECT up.key, ${actor}, (SELECT doc FROM prev), ${json}::jsonb FROM up
    RETURNING id`);
  return rowCount(result) === 1;
}

/** Delete plus audit row (after = NULL) as one statement; false when there was nothing to delete. */
export async function deleteRow(db: PgDb, key: string, actor: string): Promise<boolean> {
  const result = await db.execute(sql`
    WITH gone AS (DELETE FROM flags WHERE key = ${key} RETURNING key, doc)
    INSERT INTO flag_audit (key, actor, before, after)
    SELECT gone.key, ${actor}, gone.doc, NULL FROM gone
    RETURNING id`);
  return rowCount(result) === 1;
}

/** Validates first (400 with the validator's messages), then writes flag and audit row atomically. */
export async function putFlag(
  db: PgDb,
  key: string,
  doc: unknown,
  actor: string,
  expect?: unknown,
): Promise<boolean> {
  assertValidFlag(key, doc);
  return putRow(db, key, doc, actor, expect);
}

export async function deleteFlag(db: PgDb, key: string, actor: string): Promise<boolean> {
  assertFlagKey(key);
  return deleteRow(db, key, actor);
}

export async function putSegment(db: PgDb, name: string, doc: unknown, actor: string): Promise<boolean> {
  assertValidSegment(name, doc);
  return putRow(db, segmentKey(name), doc, actor);
}

export async function deleteSegment(db: PgDb, name: string, actor: string): Promise<boolean> {
  assertSegmentName(name);
  return deleteRow(db, segmentKey(name), actor);
}

/** Newest first; one key (a flag, or `segment:<name>`) or all. */
export async function listAudit(db: PgDb, key?: string, limit = 50): Promise<AuditEntry[]> {
  const rows = await db
    .select()
    .from(flagAudit)
    .where(key === undefined ? undefined : eq(flagAudit.key, key))
    .orderBy(desc(flagAudit.id))
    .limit(Math.min(Math.max(1, Math.trunc(limit) || 1), 500));
  return rows.map((r) => ({ ...r, at: iso(r.at) }));
}

/** The FlagStore the admin API uses, over a real database. */
export function pgFlagStore(db: PgDb): FlagStore {
  return {
    rows: () => listRows(db),
    get: (key) => getRow(db, key),
    put: (key, doc, actor, expect) => putRow(db, key, doc, actor, expect),
    delete: (key, actor) => deleteRow(db, key, actor),
    audit: (key, limit) => listAudit(db, key, limit),
  };
}
