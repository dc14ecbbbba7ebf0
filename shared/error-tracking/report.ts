// Reporting an unexpected error: to Sentry when configured, and into the grouped-errors table off the request path.
import { captureException } from "@sentry/cloudflare";
import { sql } from "drizzle-orm";
import { errorGroups } from "../db/index.ts";
import type { PgDb } from "../jobs/index.ts";
import { log } from "../log/index.ts";
import { type ErrorGroup, ErrorGroups } from "./group.ts";

// Per isolate (not a database client: plain counts), so errors from many requests share one write.
const pending = new ErrorGroups();
let flushScheduled = false;

export type ReportContext = {
  worker: string;
  requestId: string | null;
  /** The primary, for the grouped-errors table (absent when the error came before the database was set up). */
  db: PgDb | undefined;
  waitUntil(promise: Promise<unknown>): void;
  /** How often an isolate writes its groups at most (ERROR_FLUSH_MS): a storm of errors is one upsert per window. */
  flushEveryMs: number;
};

export function reportError(error: unknown, ctx: ReportContext): void {
  // A no-op unless the Worker's entry was wrapped by withSentry with a DSN.
  captureException(error, {
    tags: { worker: ctx.worker, ...(ctx.requestId ? { request_id: ctx.requestId } : {}) },
  });
  const db = ctx.db;
  if (db) ctx.waitUntil(record(error, { ...ctx, db }));
}

async function record(error: unknown, ctx: ReportContext & { db: PgDb }): Promise<void> {
  await pending.add(error, ctx.requestId);
  let groups = pending.take(Date.now(), ctx.flushEveryMs);
  if (groups.length === 0) {
    // Inside the window: one request waits the window out and writes what gathered meanwhile.
    if (flushScheduled) return;
    flushScheduled = true;
    await new Promise((r) => setTimeout(r, ctx.flushEveryMs));
    flushScheduled = false;
    groups = pending.take(Date.now(), 0);
  }
  try {
    await writeGroups(ctx.db, ctx.worker, groups);
  } catch (e) {
    log.warn("error groups not written", { error: e, groups: groups.length });
  }
}

/** One statement for every group: counts add up, the newest request id and sample win. */
export async function writeGroups(db: PgDb, worker: string, groups: ErrorGroup[]): Promise<void> {
  if (groups.length === 0) return;
  await db
    .insert(errorGroups)
    .values(
      groups.map((g) => ({
        fingerprint: g.fingerprint,
        worker,
        type: g.type,
        message: g.message,
        count: g.count,
        firstSeen: new Date(g.firstSeen),
        lastSeen: new Date(g.lastSeen),
        lastRequestId: g.lastRequestId,
        stack: g.sampleStack,
      })),
    )
    .onConflictDoUpdate({
      target: errorGroups.fingerprint,
      set: {
        count: sql`${errorGroups.count} + excluded.count`,
        lastSeen: sql`greatest(${errorGroups.lastSeen}, excluded.last_seen)`,
        lastRequestId: sql`coalesce(excluded.last_request_id, ${errorGroups.lastRequestId})`,
        message: sql`excluded.message`,
        stack: sql`excluded.stack`,
      },
    });
}
