// The example's search as the origin runs it: at most one Redis call (the facet sets) to narrow, one statement,
// and a second only when nothing was found ("did you mean"); the bench runs the very same function.
import { type CallGuard, groupMembers, narrowByFacets, type SetReader } from "../narrow.ts";
import { positiveWords, renderSearch, replaceWords } from "../query.ts";
import { facetKeys, type Rows } from "./facets.ts";
import {
  type Candidates,
  isEmptyQuery,
  type SearchRow,
  type SiteQuery,
  searchStatement,
} from "./statements.ts";
import { corrections, didYouMeanStatement, type WordMatch } from "./words.ts";

export type SearchDeps = {
  /** Runs the statement where reads go (the origin: a replica). */
  rows: Rows;
  /** null: no Redis, facets are filtered in SQL. */
  redis: SetReader | null;
  guard: CallGuard;
};

export type SearchOutcome = {
  row: SearchRow;
  /** How the facets were applied: none asked, Redis sets, or SQL (and why not Redis). */
  facets: string;
  /** Nothing found: the search text with misspelt words corrected, when the vocabulary has close ones. */
  didYouMean: string | null;
};

const EMPTY: SearchRow = { results: [], total: 0, topics: [], cities: [] };

export async function runSiteSearch(
  deps: SearchDeps,
  q: SiteQuery,
  userId: number | null,
): Promise<SearchOutcome> {
  let candidates: Candidates | null = null;
  let facets = "none";
  const [first, ...rest] = isEmptyQuery(q) ? [] : facetKeys(q, userId);
  if (first !== undefined) {
    const got = await narrowByFacets(deps.redis, deps.guard, [first, ...rest]);
    if (got.status === "narrowed") {
      const ids = groupMembers(got.members);
      candidates = { events: ids.get("e") ?? [], talks: ids.get("t") ?? [] };
      facets = "redis";
    } else facets = `sql; ${got.reason}`;
  }
  const [row] = await deps.rows<SearchRow>(searchStatement(q, { userId, candidates, prefix: true }));
  const found = row ?? EMPTY;
  // Only when the first page found nothing: the second (and last) round trip a search page may make.
  const words = positiveWords(q.terms).slice(0, 5);
  if (found.total > 0 || q.page > 1 || words.length === 0) return { row: found, facets, didYouMean: null };
  const fixes = corrections(await deps.rows<WordMatch>(didYouMeanStatement(words)));
  const didYouMean = fixes.size > 0 ? renderSearch(replaceWords(q.terms, fixes)) : null;
  return { row: found, facets, didYouMean };
}
