// The search page and the search-as-you-type suggestions: Redis sets narrow the facets, Postgres ranks.
import { type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import type { ReadDb } from "../../../../shared/db/index.ts";
import {
  isEmptyQuery,
  type Rows,
  runSiteSearch,
  SITE_SEARCH,
  SITE_SUGGEST,
  type Suggestion,
  siteQuery,
  suggestStatement,
} from "../../../../shared/search/examples/index.ts";
import { parseSearch, readSearch } from "../../../../shared/search/index.ts";
import type { OriginApp } from "../../context.ts";
import { facetSets } from "../../services.ts";
import { SearchPage } from "../../views/examples/search.tsx";

// Popular searches stay at the edge briefly (with grace); the edge stores only searches asked for more than
// once (workers/edge/cache-policy.ts), so the long tail passes through without filling the cache.
const SEARCH_CACHE = "public, s-maxage=30, stale-while-revalidate=30, stale-if-error=3600";
// Suggestions change only when titles do; prefixes are few and hot.
const SUGGEST_CACHE = "public, s-maxage=300, stale-while-revalidate=60, stale-if-error=3600";

/**
 * A statement's rows, read where reads go. Selected from, not execute()d: drizzle routes selects to the
 * replicas and execute() to the primary. Each row arrives as one JSON value and is unwrapped.
 */
function replicaRows(read: ReadDb): Rows {
  return async function rows<T>(statement: SQL): Promise<T[]> {
    return (await read.select({ row: sql<T>`to_json(s)` }).from(sql`(${statement}) as s`)).map((r) => r.row);
  };
}

function cacheAs(c: Context<OriginApp>, value: string): void {
  // A signed-in view may hold personal facets: never stored by the edge or any shared cache.
  if (c.get("edge").user) c.header("cache-control", "private, no-store");
  else {
    c.header("cache-control", value);
    c.header("cache-tag", "search");
  }
}

export const searchRoutes = new Hono<OriginApp>()
  .get("/search", async (c) => {
    const user = c.get("edge").user;
    // The edge already forwards the canonical query; a signed-in request (not cached) is read the same way.
    const values = readSearch(new URL(c.req.url).searchParams, SITE_SEARCH, { shared: user === null });
    const q = siteQuery(values);
    const { redis, guard } = facetSets(c.get("config"), c.get("redisLog"));
    const { row, facets, didYouMean } = await runSiteSearch(
      { rows: replicaRows(c.get("db").read), redis, guard },
      q,
      user?.id ?? null,
    );
    cacheAs(c, SEARCH_CACHE);
    // Test hook: how the search applied its facets. Compiled out of deployed bundles.
    if (globalThis.__TEST_HOOKS__ && c.get("config").TEST_HOOKS) c.header("x-search-facets", facets);
    return c.html(
      <SearchPage
        values={values}
        row={row}
        page={q.page}
        searched={!isEmptyQuery(q)}
        didYouMean={didYouMean}
        user={user}
      />,
    );
  })
  .get("/search/suggest", async (c) => {
    const values = readSearch(new URL(c.req.url).searchParams, SITE_SUGGEST, { shared: true });
    const statement = suggestStatement(parseSearch(values.text.q ?? ""));
    const rows = statement ? await replicaRows(c.get("db").read)<Suggestion>(statement) : [];
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
