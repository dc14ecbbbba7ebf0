// The operations console's pure parts: who gets in (Access, grants), flag forms and diffs, experiment statistics.
export {
  ACCESS_JWT_HEADER,
  type AccessOptions,
  type AccessSettings,
  type AccessVerdict,
  type AccessVerifier,
  accessVerifier,
  createAccessVerifier,
  teamOrigin,
} from "./access.ts";
export { type Change, diffDocs } from "./diff.ts";
export {
  type ExperimentTable,
  experimentTable,
  percent,
  percentagePoints,
  pValue,
  type VariantCounts,
  type VariantRow,
} from "./experiment.ts";
export { type FlagFields, fieldsOf, flagKind, patchFromFields, splitList } from "./flag-form.ts";
export { GRANT_MAX_AGE_MS, GRANT_PREFIX, issueGrant, readGrant } from "./grant.ts";
export { CONSOLE_PATH, CONSOLE_READ_ONLY_PATH } from "./paths.ts";
export {
  type Comparison,
  chiSquareSurvival,
  compareProportions,
  normalCdf,
  type Proportion,
  type SampleRatio,
  SRM_THRESHOLD,
  sampleRatio,
} from "./stats.ts";
