// The two stores the consumer needs: the idempotency ledger and the dead-job list (interfaces only).

export interface Ledger {
  /** true when this job id has already had its side effect */
  has(jobId: string): Promise<boolean>;
  /** idempotent: recording an id twice is not an error */
  record(jobId: string, name: string): Promise<void>;
}

export type DeadJobInput = {
  jobId: string;
  name: string;
  payload: unknown;
  error: string;
  attempts: number;
  /** the request that enqueued it, when there was one */
  requestId?: string | null | undefined;
};

export type DeadJob = DeadJobInput & { failedAt: Date; rerunAt: Date | null };

export interface DeadJobs {
  /** upsert by job id: a job that dies again after a rerun is dead again (rerunAt cleared) */
  record(job: DeadJobInput): Promise<void>;
  /** newest first; by default only those not yet rerun */
  list(opts?: { limit?: number; includeRerun?: boolean }): Promise<DeadJob[]>;
  /** claim a dead job for a rerun (sets rerunAt); null if absent or already claimed */
  take(jobId: string): Promise<DeadJob | null>;
  /** one dead job, whether or not it was rerun; null if absent */
  get(jobId: string): Promise<DeadJob | null>;
  /** drop a dead job for good (it will never run); false if absent */
  discard(jobId: string): Promise<boolean>;
  /** dead jobs not yet rerun, per job name */
  counts(): Promise<Record<string, number>>;
}
