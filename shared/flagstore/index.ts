// Public API of flag storage: Postgres rows, publishing (switchboard, KV), the edge's snapshot view, the admin API.

export { actorFrom, FLAGS_ADMIN_PATH, type FlagsAdminDeps, flagsAdmin } from "./admin.ts";
export {
  type ChangeDeps,
  type ChangeResult,
  changeFlag,
  changeSegment,
  type ImportResult,
  importDocs,
  removeFlag,
  removeSegment,
  renameFlag,
} from "./changes.ts";
export { describeCondition, describeFlag, describeSegment } from "./describe.ts";
export {
  createSnapshotView,
  type EdgeSnapshot,
  EMPTY_VERSION,
  type FlagsSource,
  type PublishedFlags,
  SNAPSHOT_KEY,
  type SnapshotReader,
  type SnapshotViewOptions,
} from "./edge-snapshot.ts";
export {
  type ExposureInput,
  type ExposureRow,
  exposureCollector,
  exposureRows,
  MAX_EXPOSURES_PER_BATCH,
  recordExposures,
} from "./exposures.ts";
export {
  applyPatch,
  type FlagPatch,
  flagPatchSchema,
  parsePatch,
  TARGETS,
  type TargetKind,
  type Targets,
  targetConditions,
} from "./patch.ts";
export {
  buildSnapshot,
  type Published,
  type PublishOptions,
  publishedVersion,
  publishFrom,
  publishSnapshot,
  readPublished,
  writeSnapshot,
} from "./publish.ts";
export {
  deleteFlag,
  deleteRow,
  deleteSegment,
  getFlag,
  getRow,
  listAudit,
  listFlags,
  listRows,
  listSegments,
  type PgDb,
  pgFlagStore,
  putFlag,
  putRow,
  putSegment,
} from "./repo.ts";
export {
  type AuditEntry,
  assertValidFlag,
  assertValidSegment,
  type FlagRow,
  type FlagStore,
  isSegmentKey,
  SEGMENT_PREFIX,
  segmentKey,
  splitRows,
} from "./store.ts";
export { fromUnleash, type ImportNote, type UnleashImport } from "./unleash-import.ts";
