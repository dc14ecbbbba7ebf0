// The scheduled work (Cron Triggers): the outbox sweep, then the site's own periodic jobs.

import { type OutboxQueue, sweepOutbox } from "./outbox.ts";
import type { JobQueue } from "./registry.ts";
import type { PgDb } from "./store-pg.ts";

export type ScheduledDeps = {
  db: PgDb;
  queue: JobQueue & OutboxQueue;
  /** While read-only the database must not be written, not even by the sweep; staged jobs wait. */
  readOnly: boolean;
  /** The site's periodic jobs (e.g. flushing counters): enqueues them and names what it enqueued. */
  site: (queue: JobQueue) => Promise<string[]>;
};

export type ScheduledReport = { swept: number; enqueued: string[] };

/** One tick. Runs from the jobs Worker's cron in production and from `npm run dev`'s ticker locally. */
export async function runScheduledWork(d: ScheduledDeps): Promise<ScheduledReport> {
  const swept = d.readOnly ? 0 : await sweepOutbox(d.db, d.queue);
  const enqueued = await d.site(d.queue);
  return { swept, enqueued };
}
