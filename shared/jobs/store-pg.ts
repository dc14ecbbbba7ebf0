// Postgres Ledger and DeadJobs over drizzle (tables job_ledger, dead_jobs); pass in any drizzle pg database.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { deadJobs, jobLedger } from "../db/index.ts";
import type { DeadJob, DeadJobInput, DeadJobs, Ledger } from "./store.ts";

/** Any drizzle Postgres database or transaction (neon-serverless, neon-http, node-postgres, withReplicas). */
export type PgDb = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

/**
 * Record a job as done inside the caller's transaction, so its side effect and the ledger row commit together.
 * Idempotent (ON CONFLICT DO NOTHING), so the consumer's own record() afterwards is harmless.
 */
export async function recordJobDone(db: PgDb, jobId: string, name: string): Promise<void> {
  await db.insert(jobLedger).values({ jobId, name }).onConflictDoNothing({ target: jobLedger.jobId });
}

export function pgLedger(db: PgDb): Ledger {
  return {
    async has(jobId) {
      const rows = await db
        .select({ id: jobLedger.jobId })
        .from(jobLedger)
        .where(eq(jobLedger.jobId, jobId))
        .limit(1);
      return rows.length > 0;
    },
    record: (jobId, name) => recordJobDone(db, jobId, name),
  };
}

type DeadRow = typeof deadJobs.$inferSelect;

const toDeadJob = (r: DeadRow): DeadJob => ({
  jobId: r.jobId,
  name: r.name,
  payload: r.payload,
  error: r.error,
  attempts: r.attempts,
  failedAt: r.failedAt,
  rerunAt: r.rerunAt,
  requestId: r.requestId,
});

export function pgDeadJobs(db: PgDb): DeadJobs {
  return {
    async record(job: DeadJobInput) {
      // jsonb NOT NULL: a missing payload is stored as JSON null (drizzle would send SQL NULL).
      const payload = job.payload === undefined || job.payload === null ? sql`'null'::jsonb` : job.payload;
      const set = {
        name: job.name,
        payload,
        error: job.error,
        attempts: job.attempts,
        requestId: job.requestId ?? null,
        failedAt: sql`now()`,
        rerunAt: null,
      };
      await db
        .insert(deadJobs)
        .values({ ...job, payload })
        .onConflictDoUpdate({ target: deadJobs.jobId, set });
    },
    async list(opts = {}) {
      const rows = await db
        .select()
        .from(deadJobs)
        .where(opts.includeRerun ? undefined : isNull(deadJobs.rerunAt))
        .orderBy(desc(deadJobs.failedAt), desc(deadJobs.id))
        .limit(opts.limit ?? 100);
      return rows.map(toDeadJob);
    },
    async get(jobId) {
      const rows = await db.select().from(deadJobs).where(eq(deadJobs.jobId, jobId)).limit(1);
      const row = rows[0];
      return row === undefined ? null : toDeadJob(row);
    },
    async discard(jobId) {
      const rows = await db.delete(deadJobs).where(eq(deadJobs.jobId, jobId)).returning({ id: deadJobs.id });
      return rows.length > 0;
    },
    async counts() {
      const rows = await db
        .select({ name: deadJobs.name, n: sql<number>`count(*)::int` })
        .from(deadJobs)
        .where(isNull(deadJobs.rerunAt))
        .groupBy(deadJobs.name);
      return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
    },
    async take(jobId) {
      // One UPDATE … RETURNING: two admins clicking "rerun" at once cannot both claim it.
      const rows = await db
        .update(deadJobs)
        .set({ rerunAt: sql`now()` })
        .where(and(eq(deadJobs.jobId, jobId), isNull(deadJobs.rerunAt)))
        .returning();
      const row = rows[0];
      return row === undefined ? null : toDeadJob(row);
    },
  };
}
