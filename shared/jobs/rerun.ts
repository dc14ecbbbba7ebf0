// Operator tools for dead jobs: list them, and re-enqueue one with the same id and payload and a fresh attempt count.
import type { Envelope } from "./envelope.ts";
import { errorText } from "./errors.ts";
import type { JobQueue } from "./registry.ts";
import type { DeadJob, DeadJobs } from "./store.ts";

export type RerunDeps = { dead: DeadJobs; queue: JobQueue; now?: () => number };

export function listDeadJobs(dead: DeadJobs, opts: { limit?: number; includeRerun?: boolean } = {}) {
  return dead.list(opts);
}

/**
 * Claim the dead job (sets rerun_at) and re-enqueue it. The id is kept: if the first run's side effect did
 * commit after all, the ledger or the side effect's own unique key stops it happening twice.
 * Returns the envelope sent, or null if the job is unknown or already being rerun.
 */
export async function rerunDeadJob(deps: RerunDeps, jobId: string): Promise<Envelope | null> {
  const job: DeadJob | null = await deps.dead.take(jobId);
  if (job === null) return null;
  const envelope: Envelope = {
    id: job.jobId,
    name: job.name,
    payload: job.payload,
    enqueuedAt: (deps.now ?? Date.now)(),
    attempt: 0,
  };
  try {
    await deps.queue.send(envelope);
  } catch (err) {
    // Put it back on the dead list (rerun_at cleared) so the failed rerun is visible, then report it.
    await deps.dead.record({ ...job, error: `rerun enqueue failed: ${errorText(err)}` });
    throw err;
  }
  return envelope;
}
