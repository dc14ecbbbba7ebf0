// The example site's search statements: events and talks ranked together in one round trip, with the page's
// facet lists, and the suggestions for the search-as-you-type box.
import { type SQL, sql } from "drizzle-orm";
import type { SearchValues } from "../params.ts";
import { parseSearch, type Term, toTsQuery } from "../query.ts";
import { headlineSql, intArraySql, rankSql, type TextConfigs, tsquerySql } from "../sql.ts";
import { MAX_PAGE, PAGE_SIZE } from "./params.ts";

/** What migration 0007 builds the documents with. */
export const SITE_TEXT: TextConfigs = { stem: "english", plain: "simple" };

export type SiteQuery = {
  terms: Term[];
  topics: string[];
  city: string | null;
  from: string | null;
  to: string | null;
  /** Only with a signed-in user: events they registered for, and those events' talks. */
  mine: boolean;
  page: number;
};

export function siteQuery(v: SearchValues): SiteQuery {
  return {
    terms: parseSearch(v.text.q ?? ""),
    topics: [...(v.sets.topic ?? [])],
    city: v.singles.city ?? null,
    from: v.singles.from ?? null,
    to: v.singles.to ?? null,
    mine: v.flags.has("mine"),
    page: Math.min(MAX_PAGE, Number(v.singles.page ?? "1")),
  };
}

/** Nothing asked: the page shows the form (and its facet lists) without searching. */
export function isEmptyQuery(q: SiteQuery): boolean {
  return q.terms.length === 0 && q.topics.length === 0 && !q.city && !q.from && !q.to && !q.mine;
}

/** Ids the Redis sets allow, per kind; null = filter topic, city and "mine" in SQL instead. */
export type Candidates = { events: readonly number[]; talks: readonly number[] };

export type SearchHit = {
  kind: "e" | "t";
  id: number;
  rank: number;
  event_slug: string;
  talk_slug: string | null;
  /** ts_headline output: matches between HIT_OPEN and HIT_CLOSE. */
  title: string;
  snippet: string;
  speaker: string | null;
  city: string;
  starts_at: string;
};

export type SearchRow = {
  results: SearchHit[];
  total: number;
  topics: { slug: string; name: string }[] | null;
  cities: string[] | null;
};

const and = (parts: SQL[]): SQL => (parts.length === 0 ? sql`true` : sql.join(parts, sql` and `));

/** `e` is the event (of the talk, for talks). */
function facetFilters(
  q: SiteQuery,
  userId: number | null,
  candidates: Candidates | null,
  kind: "e" | "t",
): SQL[] {
  const out: SQL[] = [];
  if (candidates) {
    out.push(
      kind === "e"
        ? sql`e.id = any(${intArraySql(candidates.events)})`
        : sql`t.id = any(${intArraySql(candidates.talks)})`,
    );
  } else {
    for (const topic of q.topics) {
      out.push(
        kind === "e"
          ? sql`exists (select 1 from talks t2 join talk_topics tt on tt.talk_id = t2.id
              join topics tp on tp.id = tt.topic_id where t2.event_id = e.id and tp.slug = ${topic})`
          : sql`exists (select 1 from talk_topics tt join topics tp on tp.id = tt.topic_id
              where tt.talk_id = t.id and tp.slug = ${topic})`,
      );
    }
    if (q.city) out.push(sql`e.city = ${q.city}`);
    if (q.mine) {
      out.push(sql`e.id in (select r.event_id from registrations r join users u on u.email = r.email
        where u.id = ${userId ?? 0})`);
    }
  }
  // Dates are a range, not a set: always SQL (the event's start, for talks too).
  if (q.from) out.push(sql`e.starts_at >= ${`${q.from}T00:00:00Z`}::timestamptz`);
  if (q.to) out.push(sql`e.starts_at < ${`${q.to}T00:00:00Z`}::timestamptz + interval '1 day'`);
  return out;
}

/**
 * One statement, one round trip: the page of hits (ranked, or newest first without text), the total, and the
 * facet lists. Snippets are made for the page's rows only (ts_headline re-parses the text).
 */
export function searchStatement(
  q: SiteQuery,
  opts: { userId: number | null; candidates: Candidates | null; prefix: boolean },
): SQL {
  const query = tsquerySql(toTsQuery(q.terms, { prefix: opts.prefix }), SITE_TEXT);
  const lists = sql`(select json_agg(json_build_object('slug', slug, 'name', name) order by name) from topics) as topics,
    (select json_agg(city order by city) from (select distinct city from events) c) as cities`;
  if (isEmptyQuery(q) || (q.terms.length > 0 && !query)) {
    return sql`select '[]'::json as results, 0 as total, ${lists}`;
  }
  const eventWhere = facetFilters(q, opts.userId, opts.candidates, "e");
  const talkWhere = facetFilters(q, opts.userId, opts.candidates, "t");
  if (query) {
    eventWhere.unshift(sql`e.search_vector @@ ${query}`);
    talkWhere.unshift(sql`t.search_vector @@ ${query}`);
  }
  const rankE = query ? rankSql(sql`e.search_vector`, query) : sql`0::real`;
  const rankT = query ? rankSql(sql`t.search_vector`, query) : sql`0::real`;
  const title = query
    ? headlineSql(SITE_TEXT, sql`coalesce(t.title, e.name)`, query, { whole: true })
    : sql`coalesce(t.title, e.name)`;
  const snippet = query
    ? headlineSql(SITE_TEXT, sql`coalesce(t.abstract, e.description)`, query)
    : sql`left(coalesce(t.abstract, e.description), 200)`;
  return sql`with hits as (
      select 'e'::text as kind, e.id, e.starts_at, ${rankE} as rank from events e where ${and(eventWhere)}
      union all
      select 't'::text, t.id, e.starts_at, ${rankT} from talks t join events e on e.id = t.event_id
      where ${and(talkWhere)}
    ), page as (
      select kind, id, rank, starts_at, count(*) over () as total from hits
      order by rank desc, starts_at desc, kind, id limit ${PAGE_SIZE} offset ${(q.page - 1) * PAGE_SIZE}
    )
    select
      (select coalesce(json_agg(r order by r.rank desc, r.starts_at desc, r.kind, r.id), '[]'::json) from (
        select p.kind, p.id, p.rank, p.starts_at, e.slug as event_slug, t.slug as talk_slug,
          ${title} as title, ${snippet} as snippet, t.speaker, e.city
        from page p
        left join talks t on p.kind = 't' and t.id = p.id
        join events e on e.id = case when p.kind = 'e' then p.id else t.event_id end
      ) r) as results,
      (select coalesce(max(total), 0)::int from page) as total,
      ${lists}`;
}

export type Suggestion = { kind: "e" | "t"; title: string; event_slug: string; talk_slug: string | null };

export const SUGGESTIONS = 8;

/**
 * Titles for the search-as-you-type box: the last word is a prefix, and only titles count (weight A), so a
 * two-letter prefix does not rank half the corpus by its abstracts.
 */
export function suggestStatement(terms: readonly Term[]): SQL | null {
  const query = tsquerySql(toTsQuery(terms, { prefix: true, weights: "A" }), SITE_TEXT);
  if (!query) return null;
  return sql`select kind, title, event_slug, talk_slug from (
      select 'e'::text as kind, e.name as title, e.slug as event_slug, null::text as talk_slug, e.starts_at,
        ${rankSql(sql`e.search_vector`, query)} as rank
      from events e where e.search_vector @@ ${query}
      union all
      select 't'::text, t.title, e.slug, t.slug, e.starts_at, ${rankSql(sql`t.search_vector`, query)}
      from talks t join events e on e.id = t.event_id where t.search_vector @@ ${query}
    ) s order by rank desc, starts_at desc limit ${SUGGESTIONS}`;
}
