// In-memory Ledger and DeadJobs: the same semantics as the Postgres stores, for unit tests and benches.
import type { DeadJob, DeadJobInput, DeadJobs, Ledger } from "../jobs/index.ts";

export class MemoryLedger implements Ledger {
  readonly done = new Map<string, string>();

  async has(jobId: string): Promise<boolean> {
    return this.done.has(jobId);
  }

  async record(jobId: string, name: string): Promise<void> {
    if (!this.done.has(jobId)) this.done.set(jobId, name);
  }
}

export class MemoryDeadJobs implements DeadJobs {
  readonly jobs = new Map<string, DeadJob>();

  async record(job: DeadJobInput): Promise<void> {
    // Re-inserting moves the job to the end, so "newest first" stays true after a second death.
    this.jobs.delete(job.jobId);
    this.jobs.set(job.jobId, { ...job, failedAt: new Date(), rerunAt: null });
  }

  async list(opts: { limit?: number; includeRerun?: boolean } = {}): Promise<DeadJob[]> {
    const all = [...this.jobs.values()].reverse().filter((j) => opts.includeRerun || j.rerunAt === null);
    return all.slice(0, opts.limit ?? 100);
  }

  async take(jobId: string): Promise<DeadJob | null> {
    const job = this.jobs.get(jobId);
    if (job === undefined || job.rerunAt !== null) return null;
    job.rerunAt = new Date();
    return { ...job };
  }

  async get(jobId: string): Promise<DeadJob | null> {
    const job = this.jobs.get(jobId);
    return job === undefined ? null : { ...job };
  }

  async discard(jobId: string): Promise<boolean> {
    return this.jobs.delete(jobId);
  }

  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const j of this.jobs.values()) if (j.rerunAt === null) out[j.name] = (out[j.name] ?? 0) + 1;
    return out;
  }
}
