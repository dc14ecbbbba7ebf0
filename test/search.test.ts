// Search through the real path: ranking and highlighting on the seed data, facet sets in Redis kept by jobs on
// writes and intersected before the ranked query, the SQL fallback when Redis is away, and the edge cache rules.
import { Redis } from "@upstash/redis/cloudflare";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { decodeRedisLog } from "../shared/datacache/index.ts";
import { assertQueries, decodeQueryLog } from "../shared/db/index.ts";
import { siteFacetSource } from "../shared/search/examples/index.ts";
import { rebuildFacetSets } from "../shared/search/index.ts";
import { control, eventually, HUMAN, sessionFor, site, sql } from "./helpers.ts";

// Sessions of this file's own, for the seeded users ada (staff) and cy: other files may sign the seeded ones out.
const CY = { cookie: "" };
const ADA = { cookie: "" };

beforeAll(async () => {
  CY.cookie = (await sessionFor("cy@example.com")).cookie;
  ADA.cookie = (await sessionFor("ada@example.com")).cookie;
  // The stack builds the facet sets at start; a file before this one may have restarted Redis (it keeps nothing).
  // The same rebuild `npm run search -- rebuild` runs, here over the Neon and Upstash clients.
  const vars = inject("workerVars").origin;
  const redis = new Redis({
    url: vars.UPSTASH_REDIS_REST_URL ?? "",
    token: vars.UPSTASH_REDIS_REST_TOKEN ?? "",
  });
  const dialect = new PgDialect();
  const rows = async <T>(query: SQL) => {
    const q = dialect.sqlToQuery(query);
    return (await sql().query(q.sql, q.params)) as T[];
  };
  await rebuildFacetSets(siteFacetSource(rows), redis);
});

/** A search through the edge, with the origin's debug headers decoded and the result links in page order. */
async function search(query: string, init?: RequestInit) {
  const r = await site(`/search?${query}`, init);
  return {
    ...r,
    facets: r.res.headers.get("x-search-facets") ?? "",
    queries: decodeQueryLog(r.res.headers.get("x-query-log")),
    redis: decodeRedisLog(r.res.headers.get("x-redis-log")),
    links: [...r.body.matchAll(/<li><a href="([^"]+)">/g)].map((m) => m[1]),
  };
}

/** A session passes the edge cache, so every call reaches the origin (and its debug headers are fresh). */
const origin = (query: string) => search(query, { headers: CY });

describe("ranking and highlighting", () => {
  it("ranks a title match above matches in an abstract or in the event's name, and marks the words", async () => {
    const r = await origin("q=cache");
    expect(r.res.status, r.body).toBe(200);
    expect(r.links[0]).toBe("/events/frontend-north-2027/talks/cache-headers");
    expect(r.body).toContain("<mark>Cache</mark>-Control for Humans");
    // "caches" in the Edge Summit's description (stemmed: cache) is found too, but below the title.
    expect(r.links).toContain("/events/edge-summit-2027");
  });

  it("ranks what a talk is titled above talks that only happen at a matching event", async () => {
    const r = await origin("q=postgres");
    const top = r.links.slice(0, 2);
    expect(top).toEqual(
      expect.arrayContaining([
        "/events/postgres-days-lisbon-2027",
        "/events/postgres-days-lisbon-2027/talks/serverless-postgres",
      ]),
    );
    // The other Lisbon talks match only through their event's name (weight D): after both.
    expect(r.links.indexOf("/events/postgres-days-lisbon-2027/talks/lock-timeout")).toBeGreaterThan(1);
  });

  it("matches the last word as a prefix (search-as-you-type), stemmed or as written", async () => {
    expect((await origin("q=lisb")).links).toContain("/events/postgres-days-lisbon-2027");
    // "flick" is longer than no stem but a prefix of the word as written ("flicker"); "purp" of "purpose".
    expect((await origin("q=flick")).links).toContain(
      "/events/frontend-north-2027/talks/flags-without-flicker",
    );
    expect((await origin("q=serving%20purp")).links).toEqual(["/events/edge-summit-2027/talks/grace-mode"]);
  });

  it("offers a correction when nothing is found, in a second round trip made only then", async () => {
    const miss = await origin("q=postgress%20replicas");
    expect(miss.links).toEqual([]);
    expect(miss.body).toContain('Did you mean <a href="/search?q=postgres+replicas">postgres replicas</a>?');
    assertQueries(miss.queries, { max: 2, roundTrips: 2 });
    const hit = await origin("q=postgres%20replicas");
    expect(hit.body).not.toContain("Did you mean");
    assertQueries(hit.queries, { max: 1, roundTrips: 1 });
  });

  it("takes phrases and exclusions, and survives text that means nothing to to_tsquery", async () => {
    const edge = (await origin("q=edge%20-varnish")).links;
    expect(edge).toContain("/events/edge-summit-2027/talks/queues-at-the-edge");
    expect(edge).not.toContain("/events/edge-summit-2027/talks/grace-mode");
    expect((await origin(`q=${encodeURIComponent('"purge by tag"')}`)).links).toEqual([
      "/events/edge-summit-2027/talks/tags-not-urls",
    ]);
    for (const junk of ["'", "\\", "a:*|!(", "&&&", "%00", "😀", "x".repeat(500)]) {
      const r = await origin(`q=${encodeURIComponent(junk)}`);
      expect(r.res.status, junk).toBe(200);
    }
  });
});

describe("facets", () => {
  it("intersects topic sets in Redis (one call) before the ranked query (one round trip)", async () => {
    const r = await origin("topic=postgres&topic=migrations");
    expect(r.facets).toBe("redis");
    expect(r.links.sort()).toEqual(
      [
        "/events/postgres-days-lisbon-2027",
        "/events/postgres-days-lisbon-2027/talks/expand-contract",
        "/events/postgres-days-lisbon-2027/talks/lock-timeout",
      ].sort(),
    );
    expect(r.redis.filter((c) => c.sent)).toHaveLength(1);
    assertQueries(r.queries, { max: 1, roundTrips: 1 });
  });

  it("combines text, topic, city and dates", async () => {
    const r = await origin("q=edge&topic=caching&city=Berlin&from=2027-05-01&to=2027-05-31");
    expect(r.facets).toBe("redis");
    // Both caching talks match "edge" (one in its abstract, both through their event's name).
    expect(r.links.sort()).toEqual(
      [
        "/events/edge-summit-2027",
        "/events/edge-summit-2027/talks/grace-mode",
        "/events/edge-summit-2027/talks/tags-not-urls",
      ].sort(),
    );
    expect((await origin("q=edge&topic=caching&city=Berlin&from=2027-06-01")).links).toEqual([]);
    expect((await origin("topic=caching&city=Lisbon")).links).toEqual([]);
  });

  it("keeps the per-user facet in Redis after a registration (a job through the outbox), for that user only", async () => {
    const register = await site("/events/postgres-days-lisbon-2027/register", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ ...HUMAN, name: "Cy Young", email: "cy@example.com" }),
    });
    expect(register.res.status, register.body).toBe(201);
    const mine = await eventually(async () => {
      const r = await origin("q=postgres&mine=1");
      return r.facets === "redis" && r.links.length > 0 ? r : undefined;
    }, 10_000);
    expect(mine.links.every((l) => l?.startsWith("/events/postgres-days-lisbon-2027"))).toBe(true);
    expect(mine.body).toContain("Only events I");
    // Ada registered for nothing: her "mine" is empty, and she never sees Cy's.
    expect((await search("q=postgres&mine=1", { headers: ADA })).links).toEqual([]);
  });

  it("moves a talk between topic sets when staff change its topics, and only staff may", async () => {
    const [talk] = (await sql()`select id from talks where slug = 'accessible-forms'`) as { id: number }[];
    const put = (who: RequestInit["headers"], topics: unknown) =>
      site(`/talks/${talk?.id}/topics`, {
        method: "PUT",
        headers: { ...who, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ topics }),
      });
    expect((await put(CY, ["queues"])).res.status).toBe(403);
    expect((await put(ADA, ["no-such-topic"])).res.status).toBe(400);
    const ok = await put(ADA, ["queues", "accessibility"]);
    expect(ok.res.status, ok.body).toBe(200);
    await eventually(async () => {
      const r = await origin("topic=queues&topic=accessibility");
      return r.facets === "redis" && r.links.includes("/events/frontend-north-2027/talks/accessible-forms");
    }, 10_000);
  });
});

describe("edge cache rules", () => {
  // A word nothing matches keeps each test's pages its own.
  const fresh = () => `zz${crypto.randomUUID().replace(/[^a-f]/g, "")}`;

  it("stores a search only from its second request, under one key for every spelling of it", async () => {
    const word = fresh();
    const first = await site(`/search?q=Grace%20%20${word.toUpperCase()}&utm_source=mail`);
    expect(first.cacheStatus).toMatch(/fwd=uri-miss.*detail=unpopular/);
    const second = await site(`/search?q=grace+${word}&page=1&qc=1`);
    expect(second.cacheStatus).toMatch(/fwd=uri-miss.*stored/);
    expect((await site(`/search?q=${word}%20GRACE`)).cacheStatus).not.toMatch(/hit/);
    expect((await site(`/search?q=grace%20${word}`)).cacheStatus).toMatch(/; hit/);
    expect(first.res.headers.get("cache-control")).toBe(
      "public, s-maxage=30, stale-while-revalidate=30, stale-if-error=3600",
    );
  });

  it("keys facets in any order as one search", async () => {
    const word = fresh();
    await site(`/search?q=${word}&topic=queues&topic=caching`);
    expect((await site(`/search?topic=caching,queues&q=${word}`)).cacheStatus).toMatch(/stored/);
  });

  it("never shares a personal facet: signed in it is private, anonymous it is not part of the page", async () => {
    const word = fresh();
    const signedIn = await search(`q=postgres+${word}&mine=1`, { headers: CY });
    expect(signedIn.cacheStatus).toMatch(/fwd=bypass/);
    expect(signedIn.res.headers.get("cache-control")).toBe("private, no-store");
    for (let i = 0; i < 2; i++) {
      const anonymous = await site(`/search?q=postgres+${word}&mine=1`);
      expect(anonymous.body).not.toContain("Only events I");
      expect(anonymous.res.headers.get("cache-control")).toMatch(/^public/);
    }
  });

  it("serves suggestions as JSON, cached from the third request of a prefix", async () => {
    const statuses: string[] = [];
    for (const q of ["Grac", "grac", " grac "]) {
      const r = await site(`/search/suggest?q=${encodeURIComponent(q)}`);
      expect(r.res.headers.get("content-type")).toMatch(/json/);
      statuses.push(r.cacheStatus);
      if (q === "Grac") {
        expect(JSON.parse(r.body)).toEqual({
          q: "grac",
          suggestions: [
            {
              title: "Grace Mode: Serving Stale on Purpose",
              kind: "talk",
              url: "/events/edge-summit-2027/talks/grace-mode",
            },
          ],
        });
      }
    }
    expect(statuses[2]).toMatch(/stored/);
    expect((await site("/search/suggest?q=grac")).cacheStatus).toMatch(/; hit/);
  });
});

describe("Redis away", () => {
  it("filters the facets in SQL and finds exactly what the sets found", async () => {
    const queries = [
      "q=postgres&topic=migrations&city=Lisbon",
      "topic=caching",
      "topic=postgres&topic=operations",
      "city=Manchester",
      "q=edge&city=Berlin&to=2027-12-31",
      "q=postgres&mine=1",
      "topic=queues&topic=accessibility",
    ];
    const narrowed: (string | undefined)[][] = [];
    for (const q of queries) {
      const r = await origin(q);
      expect(r.facets, q).toBe("redis");
      narrowed.push(r.links);
    }
    await control("fault/upstash-proxy/stop");
    try {
      for (const [i, q] of queries.entries()) {
        // SQL reads the replica (1 s behind here): the writes of the tests above may still be on their way.
        const fallback = await eventually(async () => {
          const r = await origin(q);
          return JSON.stringify(r.links) === JSON.stringify(narrowed[i]) ? r : undefined;
        }, 5_000).catch(() => origin(q));
        expect(fallback.res.status).toBe(200);
        expect(fallback.facets, q).toMatch(/^sql; /);
        expect(fallback.links, q).toEqual(narrowed[i]);
        assertQueries(fallback.queries, { max: 1, roundTrips: 1 });
      }
    } finally {
      await control("fault/upstash-proxy/start");
    }
  });
});
