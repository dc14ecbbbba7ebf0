// The search page and the search-as-you-type suggestions: Redis sets narrow the facets, Postgres ranks.
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import {
  type Candidates,
  facetKeys,
  isEmptyQuery,
  type SearchHit,
  SITE_SEARCH,
  SITE_SUGGEST,
  type Suggestion,
  searchStatement,
  siteQuery,
  suggestStatement,
} from "../../../shared/search/examples/index.ts";
import {
  groupMembers,
  type Narrowing,
  narrowByFacets,
  parseSearch,
  readSearch,
} from "../../../shared/search/index.ts";
import type { OriginApp } from "../context.ts";
import { facetSets } from "../services.ts";
import { SearchPage } from "../views/search.tsx";

// Popular searches stay at the edge briefly (with grace); the edge stores only searches asked for more than
// once (workers/edge/cache-policy.ts), so the long tail passes through without filling the cache.
const SEARCH_CACHE = "public, s-maxage=30, stale-while-revalidate=30, stale-if-error=3600";
// Suggestions change only when titles do; prefixes are few and hot.
const SUGGEST_CACHE = "public, s-maxage=300, stale-while-revalidate=60, stale-if-error=3600";

function cacheAs(c: Context<OriginApp>, value: string): void {
  // A signed-in view may hold personal facets: never stored by the edge or any shared cache.
  if (c.get("edge").user) c.header("cache-control", "private, no-store");
  else {
    c.header("cache-control", value);
    c.header("cache-tag", "search");
  }
}

/** Which candidates the facet sets allow; null when SQL must filter the facets (no facet, or Redis in doubt). */
async function narrow(
  c: Context<OriginApp>,
  keys: string[],
): Promise<{ candidates: Candidates | null; how: string }> {
  const [first, ...rest] = keys;
  if (first === undefined) return { candidates: null, how: "none" };
  const { redis, guard } = facetSets(c.get("config"), c.get("redisLog"));
  const got: Narrowing = await narrowByFacets(redis, guard, [first, ...rest]);
  if (got.status === "skipped") return { candidates: null, how: `sql; ${got.reason}` };
  const ids = groupMembers(got.members);
  return { candidates: { events: ids.get("e") ?? [], talks: ids.get("t") ?? [] }, how: "redis" };
}

export const searchRoutes = new Hono<OriginApp>()
  .get("/search", async (c) => {
    const user = c.get("edge").user;
    // The edge already forwards the canonical query; a signed-in request (not cached) is read the same way.
    const values = readSearch(new URL(c.req.url).searchParams, SITE_SEARCH, { shared: user === null });
    const q = siteQuery(values);
    const userId = user?.id ?? null;
    const { candidates, how } = isEmptyQuery(q)
      ? { candidates: null, how: "none" }
      : await narrow(c, facetKeys(q, userId));
    // Selected from, not execute()d: drizzle routes selects to the replicas and execute() to the primary.
    const [row] = await c
      .get("db")
      .read.select({
        results: sql<SearchHit[]>`s.results`,
        total: sql<number>`s.total`,
        topics: sql<{ slug: string; name: string }[] | null>`s.topics`,
        cities: sql<string[] | null>`s.cities`,
      })
      .from(sql`(${searchStatement(q, { userId, candidates, prefix: true })}) as s`);
    cacheAs(c, SEARCH_CACHE);
    if (c.get("config").TEST_HOOKS) c.header("x-search-facets", how);
    return c.html(
      <SearchPage
        values={values}
        row={row ?? { results: [], total: 0, topics: [], cities: [] }}
        page={q.page}
        searched={!isEmptyQuery(q)}
        user={user}
      />,
    );
  })
  .get("/search/suggest", async (c) => {
    const values = readSearch(new URL(c.req.url).searchParams, SITE_SUGGEST, { shared: true });
    const statement = suggestStatement(parseSearch(values.text.q ?? ""));
    const rows: Suggestion[] = statement
      ? await c
          .get("db")
          .read.select({
            kind: sql<Suggestion["kind"]>`s.kind`,
            title: sql<string>`s.title`,
            event_slug: sql<string>`s.event_slug`,
            talk_slug: sql<string | null>`s.talk_slug`,
          })
          .from(sql`(${statement}) as s`)
      : [];
    cacheAs(c, SUGGEST_CACHE);
    return c.json({
      q: values.text.q ?? "",
      suggestions: rows.map((r) => ({
        title: r.title,
        kind: r.kind === "e" ? "event" : "talk",
        url: r.talk_slug ? `/events/${r.event_slug}/talks/${r.talk_slug}` : `/events/${r.event_slug}`,
      })),
    });
  });
