// Public API of search: query text, canonical search URLs, Redis-set narrowing and upkeep, SQL fragments.
export {
  type FacetSet,
  type FacetSource,
  moveMember,
  type RebuildReport,
  rebuildFacetSets,
  replaceSets,
  type SetTx,
  type SetWriter,
} from "./facet-sets.ts";
export { HIT_CLOSE, HIT_OPEN, highlightSegments, type Segment } from "./highlight.ts";
export {
  type CallGuard,
  docMember,
  facetKey,
  groupMembers,
  MAX_CANDIDATES,
  NARROW_SCRIPT,
  type Narrowing,
  narrowByFacets,
  READY_MEMBER,
  type SetReader,
} from "./narrow.ts";
export {
  canonicalSearch,
  readSearch,
  type SearchField,
  type SearchSpec,
  type SearchValues,
  searchQueryString,
} from "./params.ts";
export {
  parseSearch,
  positiveWords,
  quoteOperand,
  renderSearch,
  replaceWords,
  SEARCH_LIMITS,
  type Term,
  type TsQueryText,
  toTsQuery,
} from "./query.ts";
export {
  DEFAULT_WEIGHTS,
  type HeadlineOptions,
  headlineSql,
  intArraySql,
  rankSql,
  type TextConfigs,
  tsquerySql,
} from "./sql.ts";
