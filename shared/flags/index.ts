// Public API of the feature-flag evaluator.

export { cacheKeySuffix, cacheKeyVariants } from "./cache-key.ts";
export { cidrContains, parseCidr, parseIp } from "./cidr.ts";
export { createFlags, type Exposure, type Flags } from "./client.ts";
export { type CompiledFlags, type CompileOptions, compile, VARIANT_SEED } from "./compile.ts";
export {
  contextFromRequest,
  cookieReader,
  type Identity,
  type PropertyTable,
  propertyReader,
} from "./context.ts";
export { evaluate, evaluateAll, evaluatePositions } from "./evaluate.ts";
export { exposedFlags, exposedHeader, FLAGS_EXPOSED_HEADER } from "./exposed.ts";
export { decodeFlags, encodeFlags, FLAGS_HEADER } from "./header.ts";
export { murmur3, normalizedValue } from "./murmur3.ts";
export { compileRegex } from "./regex.ts";
export { MAX_REGEX_INPUT, regexMatches } from "./regex-match.ts";
export { parseSemver } from "./semver.ts";
export { canonicalJson, createSnapshot, snapshotVersion } from "./snapshot.ts";
export type * from "./types.ts";
export { isValidFlagKey, validateFlag, validateSegment } from "./validate.ts";
export { validateSnapshot } from "./validate-snapshot.ts";
export { VARIANT } from "./validate-util.ts";
export { MAX_PAYLOAD } from "./validate-variants.ts";
