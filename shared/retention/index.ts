// Retention: how long each kind of record is kept, and the scheduled job that prunes the rest in batches.
export { type PruneRetentionServices, pruneRetention, pruneRetentionSpec } from "./job.ts";
export {
  DEFAULT_RETENTION_DAYS,
  type PruneTarget,
  parseRetention,
  pruneTargets,
  RETENTION_TARGETS,
  type RetentionDays,
  type RetentionKind,
} from "./policy.ts";
export { PRUNE_BATCH, pgPruneBatch } from "./prune.ts";
