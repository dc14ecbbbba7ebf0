// Public API of the switchboard: the object, the tiered reader, the read-only store over it, calls to the object.
export {
  type AuditRow,
  adopt,
  applyReadOnly,
  type BoardState,
  type Copies,
  EMPTY_BOARD,
  notePurge,
  probed,
  publishFlags,
  type Step,
  switchesOf,
  type TripProgress,
  trip,
} from "./board.ts";
export {
  callBoard,
  KV_ONLY_WARNING,
  kickSwitchboard,
  OBJECT_READ_TIMEOUT_MS,
  OBJECT_WRITE_TIMEOUT_MS,
  SWITCHBOARD_NAME,
  type SwitchboardNamespace,
  SwitchboardUnavailable,
  switchboardStub,
} from "./client.ts";
export {
  flagsCopy,
  readCopies,
  readOnlyCopy,
  SNAPSHOT_KEY,
  writeFlagsCopy,
  writeReadOnlyCopy,
} from "./kv-copies.ts";
export { createLocationCache, type LocationCache, SWITCH_CACHE_NAME } from "./location-cache.ts";
export { createSwitchReader, type SwitchReader, type SwitchReaderOptions } from "./reader.ts";
export type { AuditEntry } from "./storage.ts";
export { lastPurgeAt, NO_SWITCHES, type PurgeEntry, type Switches, type SwitchSource } from "./switches.ts";
export { type BoardAccess, readOnlyStore } from "./views.ts";
