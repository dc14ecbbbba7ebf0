// Public API of the typed job system on Cloudflare Queues.
export {
  backoffCeiling,
  backoffSeconds,
  DEFAULT_RETRY,
  MAX_BACKOFF_SECONDS,
  type RetryPolicy,
} from "./backoff.ts";
export {
  type ConsumerDeps,
  createConsumer,
  createDeadLetterConsumer,
  type DeadLetterDeps,
  type JobEvent,
} from "./consume.ts";
export {
  assertEnvelopeSize,
  type Envelope,
  EnvelopeTooLargeError,
  envelopeSchema,
  MAX_ENVELOPE_BYTES,
  type RywToken,
} from "./envelope.ts";
export { HoldError, isHold, isPermanent, JobPayloadError } from "./errors.ts";
export {
  type OutboxQueue,
  type RelayFault,
  type RelayOptions,
  relayStaged,
  stageJob,
  sweepOutbox,
} from "./outbox.ts";
export { decide, holdDelaySeconds, type Outcome } from "./outcome.ts";
export {
  type AnyJob,
  buildEnvelope,
  createEnqueue,
  createRegistry,
  defineJob,
  type EnqueueOptions,
  enqueue,
  type JobContext,
  type JobDefinition,
  type JobName,
  type JobQueue,
  type JobSpec,
  jobSpec,
  type PayloadOf,
  type Registry,
  type ServicesOf,
} from "./registry.ts";
export { listDeadJobs, type RerunDeps, rerunDeadJob } from "./rerun.ts";
export { runScheduledWork, type ScheduledDeps, type ScheduledReport } from "./scheduled.ts";
export type { DeadJob, DeadJobInput, DeadJobs, Ledger } from "./store.ts";
export { type PgDb, pgDeadJobs, pgLedger, recordJobDone } from "./store-pg.ts";
