// Queue consumers: typed jobs with retries, idempotency and holds; the dead-letter queue records what dies.

import { type JobsConfig, jobsConfig } from "../../shared/env/index.ts";
import { reportError } from "../../shared/error-tracking/index.ts";
import {
  pgBackfillCity,
  pgRegistrations,
  pgUploadRows,
  siteJobHandlers,
  siteJobs,
} from "../../shared/jobs/examples/index.ts";
import {
  createConsumer,
  createDeadLetterConsumer,
  enqueue,
  pgDeadJobs,
  pgLedger,
} from "../../shared/jobs/index.ts";
import type { ReadOnlyStore } from "../../shared/readonly/index.ts";
import { pgPruneBatch } from "../../shared/retention/index.ts";
import { drizzleRows, talkTopicMoves, userSets } from "../../shared/search/examples/index.ts";
import { isDeadLetterQueue } from "../../shared/site/index.ts";
import {
  callBoard,
  createSwitchReader,
  OBJECT_READ_TIMEOUT_MS,
  readOnlyStore,
} from "../../shared/switchboard/index.ts";
import { drainTalkViews } from "./examples/counters.ts";
import { jobsDb, jobsRedis, mailTransport, purgeAtEdge } from "./services.ts";

// Must match max_retries in workers/jobs/wrangler.toml (checked by scripts/deploy/configs-agree.test.ts): the
// consumer records a death before the platform would.
const PLATFORM_MAX_RETRIES = 5;

let readOnly: ReadOnlyStore | null = null;

/** The read-only switch as this isolate sees it (a few seconds of memory, then the switchboard, KV if it is away). */
export function readOnlyState(config: JobsConfig): ReadOnlyStore {
  const { SWITCHBOARD: board, CONFIG: kv } = config.bindings;
  readOnly ??= readOnlyStore(
    createSwitchReader({
      object: () => callBoard(board, (b) => b.read(), OBJECT_READ_TIMEOUT_MS),
      kv,
      memoryMs: config.SWITCH_MEMORY_MS,
    }),
    { ns: board, kv },
  );
  return readOnly;
}

export async function queue(
  batch: MessageBatch<unknown>,
  env: JobsEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const config = jobsConfig(env);
  const db = jobsDb(config);
  const ledger = pgLedger(db);
  const dead = pgDeadJobs(db);
  // Each environment names its own dead-letter queue (`…-jobs-dlq-staging`); all of them land here.
  if (isDeadLetterQueue(batch.queue)) {
    return createDeadLetterConsumer({ dead, ledger, platformMaxRetries: PLATFORM_MAX_RETRIES })(
      batch,
      env,
      ctx,
    );
  }
  const store = readOnlyState(config);
  const redis = jobsRedis(config);
  const rows = drizzleRows(db);
  const consume = createConsumer(siteJobHandlers, {
    ledger,
    dead,
    queue: config.bindings.JOBS,
    services: {
      drainCounters: drainTalkViews(db, redis),
      backfillCityBatch: pgBackfillCity(db),
      continueBackfill: async (payload) => {
        await enqueue(config.bindings.JOBS, siteJobs, "backfill-city", payload, { delaySeconds: 1 });
      },
      mail: mailTransport(config, db),
      registrations: pgRegistrations(db),
      allowTestFailures: globalThis.__TEST_HOOKS__ === true && config.TEST_HOOKS,
      uploadsBucket: config.bindings.UPLOADS,
      // A processed photo appears on its event page: purge that page and the owner's account page.
      uploadRows: pgUploadRows(db, (row) =>
        purgeAtEdge(config, [...(row.eventId ? [`event:${row.eventId}`] : []), `user:${row.ownerId}`]),
      ),
      // The primary: the job must see the write that caused it.
      facetTruth: {
        userSets: (email) => userSets(rows, email),
        talkTopicMoves: (talkId) => talkTopicMoves(rows, talkId),
      },
      facetSets: redis,
      retention: config.retention,
      pruneBatch: pgPruneBatch(db),
      continuePrune: async () => {
        await enqueue(config.bindings.JOBS, siteJobs, "prune-retention", {}, { delaySeconds: 5 });
      },
    },
    // Jobs that write are held (re-sent later), never failed or lost, while the site is read-only.
    readOnly: async () => (await store.get(ctx)).on,
    // A job that died of an error is a bug to look at: Sentry and the grouped errors, under its request's id.
    onDead: (error, job) =>
      reportError(error, {
        worker: "jobs",
        requestId: job.requestId,
        db,
        waitUntil: (p) => ctx.waitUntil(p),
        flushEveryMs: config.ERROR_FLUSH_MS,
      }),
    // Test runs: full jitter drawn at 0, so retries come at once (the backoff itself is unit-tested).
    ...(globalThis.__TEST_HOOKS__ && config.TEST_HOOKS ? { random: () => 0 } : {}),
  });
  return consume(batch, env, ctx);
}
