// The example's statements: facets from Redis replace their SQL filters, dates always in SQL, no search when
// nothing is asked, suggestions only from titles.
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { readSearch } from "../params.ts";
import { parseSearch } from "../query.ts";
import { facetKeys } from "./facets.ts";
import { SITE_SEARCH } from "./params.ts";
import { searchStatement, siteQuery, suggestStatement } from "./statements.ts";

const render = (s: Parameters<PgDialect["sqlToQuery"]>[0]) => new PgDialect().sqlToQuery(s);
const query = (qs: string, shared = false) =>
  siteQuery(readSearch(new URLSearchParams(qs), SITE_SEARCH, { shared }));

describe("searchStatement", () => {
  const faceted = query("q=grace&topic=caching&city=Berlin&mine=1&from=2027-05-01&to=2027-05-31");

  it("filters topic, city and registrations in SQL when Redis could not narrow", () => {
    const r = render(searchStatement(faceted, { userId: 7, candidates: null, prefix: true }));
    expect(r.sql).toContain("talk_topics");
    expect(r.sql).toContain("e.city = $");
    expect(r.sql).toContain("from registrations r join users u on u.email = r.email");
    expect(r.params).toEqual(expect.arrayContaining(["caching", "Berlin", 7]));
  });

  it("uses the candidates instead, one array parameter per kind, and keeps the dates in SQL", () => {
    const r = render(
      searchStatement(faceted, { userId: 7, candidates: { events: [1], talks: [2, 3] }, prefix: true }),
    );
    expect(r.sql).not.toContain("talk_topics");
    expect(r.sql).not.toContain("registrations");
    expect(r.sql).not.toContain("e.city =");
    expect(r.params).toEqual(
      expect.arrayContaining(["{1}", "{2,3}", "2027-05-01T00:00:00Z", "2027-05-31T00:00:00Z"]),
    );
  });

  it("ranks and highlights only when there is text; without, newest first", () => {
    const browse = render(
      searchStatement(query("topic=caching"), { userId: null, candidates: null, prefix: true }),
    );
    expect(browse.sql).not.toContain("ts_rank_cd");
    expect(browse.sql).not.toContain("ts_headline");
    const text = render(searchStatement(query("q=grace"), { userId: null, candidates: null, prefix: true }));
    expect(text.sql).toContain("ts_rank_cd");
    expect(text.sql).toContain("ts_headline");
  });

  it("does not search when nothing is asked, or the text has nothing to match", () => {
    for (const qs of ["", "q=!!!", "page=3"]) {
      const r = render(searchStatement(query(qs), { userId: null, candidates: null, prefix: true }));
      expect(r.sql, qs).toMatch(/^select '\[\]'::json as results, 0 as total/);
    }
  });

  it("pages with a bounded offset", () => {
    const r = render(searchStatement(query("q=a&page=10"), { userId: null, candidates: null, prefix: true }));
    expect(r.params).toEqual(expect.arrayContaining([20, 180]));
  });
});

describe("facetKeys", () => {
  it("names one set per topic, the city, and the signed-in user's registrations", () => {
    expect(facetKeys(query("topic=b&topic=a&city=São Paulo&mine=1"), 7)).toEqual([
      "sf:topic:a",
      "sf:topic:b",
      "sf:city:S%C3%A3o%20Paulo",
      "sf:user:7",
    ]);
  });

  it("has no personal set for an anonymous search, even when asked", () => {
    expect(facetKeys(query("topic=a&mine=1", true), null)).toEqual(["sf:topic:a"]);
    expect(facetKeys(query("mine=1"), null)).toEqual([]);
  });
});

describe("suggestStatement", () => {
  it("matches titles only (weight A), the last word as a prefix", () => {
    const s = suggestStatement(parseSearch("edge cachi"));
    expect(s && render(s).params).toEqual(expect.arrayContaining(["'edge':A", "'cachi':*A"]));
    expect(suggestStatement(parseSearch("?"))).toBeNull();
  });
});
