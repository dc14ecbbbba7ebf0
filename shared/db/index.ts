// Public API of the origin's data layer: per-request db, causal read routing, tokens, probe, accounting.
export {
  decodeQueryLog,
  encodeQueryLog,
  type PoolKind,
  type PoolSummary,
  QueryLog,
  type QueryLogEntry,
  type QueryLogOptions,
} from "./accounting.ts";
export { assertQueries, formatQueryLog, type QueryExpectation } from "./assert-queries.ts";
export { type ChooseInput, chooseReadTarget, type ReadTarget, type RouteReason } from "./choose.ts";
export {
  type CreateDbOptions,
  createDb,
  createPrimaryDb,
  type Db,
  DEFAULT_TIMEOUTS,
  type NamedDatabase,
} from "./client.ts";
export {
  type DbTimeouts,
  type HealthSource,
  type HttpDb,
  type ReadDb,
  type Route,
  replicaName,
  type Schema,
  type WaitUntil,
  type WriteItems,
  type WsTx,
} from "./cluster.ts";
export {
  DatabaseTimeoutError,
  DatabaseUnavailable,
  isConnectionFailure,
  isOutage,
  isReadOnlyViolation,
  mapDbError,
  READ_ONLY_SQLSTATE,
  sqlState,
} from "./errors.ts";
export {
  applySamples,
  type HealthOptions,
  type HealthReason,
  healthyReplicas,
  nextStatus,
  type ReplicaSample,
  type ReplicaStatus,
} from "./health.ts";
export { compareLsn, formatLsn, lsnDiffBytes, lsnReached, maxLsn, parseLsn } from "./lsn.ts";
export { useLocalNeonProxy } from "./neon-local.ts";
export { type ClusterUrls, type PartitionConfig, routePartition } from "./partition.ts";
export {
  createProbe,
  type HealthSnapshot,
  type HealthStore,
  type Healthz,
  type Probe,
  type ProbeOptions,
  sampleFromReading,
  toHealthz,
} from "./probe.ts";
// The tables, for queries written with drizzle anywhere (a module that uses none of them costs nothing).
export * from "./schema.ts";
export {
  decodeToken,
  encodeToken,
  isFresh,
  mergeTokens,
  RYW_COOKIE,
  RYW_HEADER,
  type RywToken,
  TOKEN_TTL_MS,
  tokenFromJson,
} from "./token.ts";
export { probeWritable, type Writable } from "./writable.ts";
export { increment, updateIfVersion, type VersionedTable, type VersionResult } from "./writes.ts";
