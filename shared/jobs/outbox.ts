// The transactional job outbox: stage a job in the write's own transaction, relay it after commit, sweep leftovers.
//
// A job that follows a write must not be lost when the process dies (or the client gives up) between the commit
// and the enqueue. So the job row commits with the change; the request relays it in the background after commit,
// and a periodic sweep sends rows whose relay never ran. Delivery is at least once; the consumer's idempotency
// ledger (keyed by job id) makes the side effect happen once.
import { type SQL, sql } from "drizzle-orm";
import { jobOutbox } from "../db/index.ts";
import type { Envelope, RywToken } from "./envelope.ts";
import type { PgDb } from "./store-pg.ts";

/** What relays need from a queue binding. */
export type OutboxQueue = Pick<Queue<Envelope>, "sendBatch">;

/** Claimed rows are hidden from other relays and sweeps for this long; a crashed relay's rows come back after. */
const CLAIM_SECONDS = 30;
/** Queues accept at most 100 messages per sendBatch. */
const SWEEP_BATCH = 100;

/**
 * The INSERT to run in the same transaction as the write: `db.execute(stageJob(job))` as a batch item, or inside a
 * writing CTE with `when` (e.g. only if the event exists). Staging the same job id twice is a no-op.
 */
export function stageJob(envelope: Envelope, when: SQL = sql`true`): SQL {
  return sql`insert into ${jobOutbox} (id, name, envelope)
    select ${envelope.id}, ${envelope.name}, ${JSON.stringify(envelope)}::jsonb where ${when}
    on conflict (id) do nothing`;
}

/** Test-only failure points between commit and a completed relay (honoured only in builds with test hooks). */
export type RelayFault = "before-send" | "after-send";

export type RelayOptions = {
  db: PgDb;
  queue: OutboxQueue;
  /** The jobs this request staged. */
  ids: readonly string[];
  /** The writer's read-your-writes token, known only after commit: the jobs read at least what it wrote. */
  token?: RywToken | null;
  fault?: RelayFault;
};

/** After commit (in waitUntil): send this request's staged jobs and delete their rows. Returns how many were sent. */
export async function relayStaged(o: RelayOptions): Promise<number> {
  if (o.ids.length === 0) return 0;
  const ids = sql.join(
    o.ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const claimed = await claim(o.db, sql`id in (${ids})`);
  return send(o.db, o.queue, claimed, o.token ?? null, o.fault);
}

/** Periodic (cron): send rows whose relay never ran or failed, oldest first. Returns how many were sent. */
export async function sweepOutbox(db: PgDb, queue: OutboxQueue): Promise<number> {
  let sent = 0;
  for (;;) {
    const claimed = await claim(
      db,
      sql`id in (select id from ${jobOutbox} where available_at <= now()
        order by created_at limit ${SWEEP_BATCH} for update skip locked)`,
    );
    sent += await send(db, queue, claimed, null);
    if (claimed.length < SWEEP_BATCH) return sent;
  }
}

type Claimed = { id: string; envelope: Envelope };

async function claim(db: PgDb, where: SQL): Promise<Claimed[]> {
  const result = await db.execute<Claimed>(sql`
    update ${jobOutbox} set attempts = attempts + 1,
      available_at = now() + make_interval(secs => ${CLAIM_SECONDS})
    where ${where}
    returning id, envelope`);
  return rowsOf<Claimed>(result);
}

async function send(
  db: PgDb,
  queue: OutboxQueue,
  claimed: Claimed[],
  token: RywToken | null,
  fault?: RelayFault,
): Promise<number> {
  // The test hooks read the build-time constant first, so deployed bundles leave them out.
  if (claimed.length === 0 || (globalThis.__TEST_HOOKS__ && fault === "before-send")) return 0;
  await queue.sendBatch(
    claimed.map((row) => ({
      body: token && !row.envelope.token ? { ...row.envelope, token } : row.envelope,
    })),
  );
  // A crash here resends on the next sweep; the consumer's ledger keeps the side effect to once.
  if (globalThis.__TEST_HOOKS__ && fault === "after-send") return claimed.length;
  const ids = sql.join(
    claimed.map((row) => sql`${row.id}`),
    sql`, `,
  );
  await db.execute(sql`delete from ${jobOutbox} where id in (${ids})`);
  return claimed.length;
}

/** drizzle's drivers disagree on the shape of execute(): neon-http returns { rows }, node-postgres too, others arrays. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
