// The example site's facet sets in Redis: topic, city and "registered for" (per user), each holding events and
// talks ("e:1", "t:42"). A talk inherits its event's city and registrations; an event has every topic of its talks.
import { type SQL, sql } from "drizzle-orm";
import type { FacetSet, FacetSource } from "../facet-sets.ts";
import { docMember, facetKey } from "../narrow.ts";
import type { SiteQuery } from "./statements.ts";

export const FACET_PREFIX = "sf:";
export const FACETS = ["topic", "city", "user"] as const;
export type Facet = (typeof FACETS)[number];

/** Runs one statement and returns its rows; each caller adapts its own driver (origin, jobs Worker, CLI). */
export type Rows = <T extends Record<string, unknown>>(query: SQL) => Promise<T[]>;

/** Rows from any drizzle database's execute(): neon-http and node-postgres answer `{ rows }`. */
export function drizzleRows(db: { execute(query: SQL): PromiseLike<unknown> }): Rows {
  return async <T>(query: SQL) => {
    const result = await db.execute(query);
    const rows = Array.isArray(result) ? result : (result as { rows?: unknown }).rows;
    if (!Array.isArray(rows)) throw new TypeError("execute() returned no rows");
    return rows as T[];
  };
}

export const siteFacetKey = (facet: Facet, value: string): string => facetKey(FACET_PREFIX, facet, value);

/** The sets to intersect for this query (none: no facet asked, no Redis call). */
export function facetKeys(q: SiteQuery, userId: number | null): string[] {
  const keys = q.topics.map((t) => siteFacetKey("topic", t));
  if (q.city) keys.push(siteFacetKey("city", q.city));
  if (q.mine && userId !== null) keys.push(siteFacetKey("user", String(userId)));
  return keys;
}

/** A JSON text array bound as one parameter (values may hold commas, quotes, anything). */
const textArray = (values: readonly string[]): SQL =>
  sql`array(select json_array_elements_text(${JSON.stringify(values)}::json))`;

/** Members per value from (value, member) rows. */
function grouped(
  facet: Facet,
  values: readonly string[],
  rows: { value: string; member: string }[],
): FacetSet[] {
  const byValue = new Map<string, string[]>(values.map((v) => [v, []]));
  for (const r of rows) byValue.get(r.value)?.push(r.member);
  return [...byValue].map(([value, members]) => ({ key: siteFacetKey(facet, value), members }));
}

const VALUES: Record<Facet, SQL> = {
  topic: sql`select slug as value from topics order by slug`,
  city: sql`select distinct city as value from events order by city`,
  user: sql`select distinct u.id::text as value from users u join registrations r on r.email = u.email
    order by value`,
};

function membersSql(facet: Facet, values: readonly string[]): SQL {
  const wanted = textArray(values);
  switch (facet) {
    case "topic":
      return sql`select tp.slug as value, 't:' || tt.talk_id as member
          from talk_topics tt join topics tp on tp.id = tt.topic_id where tp.slug = any(${wanted})
        union
        select tp.slug, 'e:' || t.event_id from talk_topics tt join topics tp on tp.id = tt.topic_id
          join talks t on t.id = tt.talk_id where tp.slug = any(${wanted})`;
    case "city":
      return sql`select e.city as value, 'e:' || e.id as member from events e where e.city = any(${wanted})
        union all
        select e.city, 't:' || t.id from talks t join events e on e.id = t.event_id where e.city = any(${wanted})`;
    case "user":
      return sql`select u.id::text as value, 'e:' || r.event_id as member
          from users u join registrations r on r.email = u.email where u.id::text = any(${wanted})
        union all
        select u.id::text, 't:' || t.id from users u join registrations r on r.email = u.email
          join talks t on t.event_id = r.event_id where u.id::text = any(${wanted})`;
  }
}

/** Where `npm run search -- rebuild` reads the truth. */
export function siteFacetSource(rows: Rows): FacetSource {
  return {
    prefix: FACET_PREFIX,
    facets: FACETS,
    async values(facet) {
      return (await rows<{ value: string }>(VALUES[facet as Facet])).map((r) => r.value);
    },
    async sets(facet, values) {
      const f = facet as Facet;
      return grouped(f, values, await rows<{ value: string; member: string }>(membersSql(f, values)));
    },
  };
}

/** After a registration: the whole "registered for" set of each user with that email, as the database has it. */
export async function userSets(rows: Rows, email: string): Promise<FacetSet[]> {
  const users = await rows<{ value: string }>(
    sql`select id::text as value from users where email = ${email}`,
  );
  const values = users.map((u) => u.value);
  if (values.length === 0) return [];
  return grouped("user", values, await rows<{ value: string; member: string }>(membersSql("user", values)));
}

export type Move = { member: string; into: string[]; outOf: string[] };

/**
 * After a talk's topics changed: where the talk and its event belong in the topic sets now. Every topic set is
 * named (in or out), so the result does not depend on what the sets held before, or on earlier jobs' order.
 */
export async function talkTopicMoves(rows: Rows, talkId: number): Promise<Move[]> {
  const found = await rows<{ slug: string; talk: boolean; event: boolean; event_id: number | null }>(sql`
    select tp.slug,
      exists (select 1 from talk_topics tt where tt.talk_id = t.id and tt.topic_id = tp.id) as talk,
      exists (select 1 from talks t2 join talk_topics tt on tt.talk_id = t2.id
              where t2.event_id = t.event_id and tt.topic_id = tp.id) as event,
      t.event_id
    from topics tp left join talks t on t.id = ${talkId}`);
  const eventId = found[0]?.event_id ?? null;
  // The talk is gone: leave it in sets it may still be in; SQL never returns a talk that does not exist.
  if (eventId === null) return [];
  const split = (pick: (r: (typeof found)[number]) => boolean, member: string): Move => ({
    member,
    into: found.filter(pick).map((r) => siteFacetKey("topic", r.slug)),
    outOf: found.filter((r) => !pick(r)).map((r) => siteFacetKey("topic", r.slug)),
  });
  return [split((r) => r.talk, docMember("t", talkId)), split((r) => r.event, docMember("e", eventId))];
}
