// The read-only switch: its state in KV, the policy and 503 answers, the banner, the admin API, held jobs.
export {
  nextReadOnlyState,
  READ_ONLY_ADMIN_PATH,
  type ReadOnlyPut,
  readOnlyAdmin,
  readOnlyPutSchema,
  switchReadOnly,
} from "./admin.ts";
export { READ_ONLY_HEADER, readOnlyBannerHtml, withReadOnlyBanner } from "./banner.ts";
export { type JobDecision, MAX_HOLD_SECONDS, readOnlyJobDecision } from "./jobs.ts";
export {
  DEFAULT_READ_ONLY_ALLOW_LIST,
  matchesPrefix,
  type ReadOnlyDecision,
  readOnlyDecision,
} from "./policy.ts";
export { type ReadOnlyBody, readOnlyResponse } from "./respond.ts";
export {
  parseReadOnlyState,
  READ_ONLY_KEY,
  READ_ONLY_OFF,
  type ReadOnlyApplied,
  type ReadOnlyAuditEntry,
  type ReadOnlyState,
  type ReadOnlyStore,
  readOnlyStateSchema,
} from "./state.ts";
export { asSentence, DEFAULT_READ_ONLY_REASON } from "./text.ts";
export {
  AUTO_ACTOR,
  AUTO_REASONS,
  AUTO_RETRY_AFTER_S,
  autoReadOnlyState,
  createWriteFailureTrip,
  isAutoReadOnly,
  type TripOptions,
  type WriteFailureTrip,
  type WriteOutcome,
  writeOutcome,
} from "./trip.ts";
