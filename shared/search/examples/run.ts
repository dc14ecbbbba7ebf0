// The example's search as the origin runs it: at most one Redis call (the facet sets' SINTER) to narrow, then
// one statement; the bench runs the very same function.
import { type CallGuard, groupMembers, narrowByFacets, type SetReader } from "../narrow.ts";
import { facetKeys, type Rows } from "./facets.ts";
import {
  type Candidates,
  isEmptyQuery,
  type SearchRow,
  type SiteQuery,
  searchStatement,
} from "./statements.ts";

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
  return { row: row ?? EMPTY, facets };
}
