// The example site's search: which documents and fields, the facets (topic, city, "registered for"), statements.
export { BACKFILL_TABLES, type BackfillTable, backfillSearchBatch } from "./backfill.ts";
export {
  drizzleRows,
  FACET_PREFIX,
  FACETS,
  type Facet,
  facetKeys,
  type Move,
  type Rows,
  siteFacetKey,
  siteFacetSource,
  talkTopicMoves,
  userSets,
} from "./facets.ts";
export { MAX_PAGE, PAGE_SIZE, SITE_SEARCH, SITE_SUGGEST } from "./params.ts";
export { runSiteSearch, type SearchDeps, type SearchOutcome } from "./run.ts";
export {
  type Candidates,
  isEmptyQuery,
  type SearchHit,
  type SearchRow,
  SITE_TEXT,
  type SiteQuery,
  SUGGESTIONS,
  type Suggestion,
  searchStatement,
  siteQuery,
  suggestStatement,
} from "./statements.ts";
export {
  corrections,
  didYouMeanStatement,
  refreshSearchWords,
  type WordMatch,
} from "./words.ts";
