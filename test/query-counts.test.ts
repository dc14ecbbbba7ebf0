// Query budgets per page (Disqus' assertQueryCount): every example page, anonymous and signed in, via the edge.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeRedisLog, type RedisCall } from "../shared/datacache/index.ts";
import {
  assertQueries,
  decodeQueryLog,
  type QueryExpectation,
  type QueryLogEntry,
} from "../shared/db/index.ts";
import { eventually, HUMAN, site } from "./helpers.ts";

const EVENT = "edge-summit-2027";
const TALK = "grace-mode";
const ADA = "sid=dev-session-ada";

type Visitor = "anonymous" | "signed in";
type Page = {
  path: string;
  status: number;
  budget: QueryExpectation;
  exact?: number;
  /** Most Redis round trips allowed (checked when set). */
  redis?: number;
  /** JSON, not a page with the site's header. */
  json?: boolean;
};

// `exact`: this many round trips, no fewer (a page that suddenly does 0 may be serving something else).
const pages: Page[] = [
  // The list is behind a Redis cache: 0 queries on a Redis hit, 1 on a miss, never on the primary.
  { path: "/", status: 200, budget: { max: 1, on: "replica", roundTrips: 1 } },
  {
    path: `/events/${EVENT}`,
    status: 200,
    budget: { max: 1, min: 1, on: "replica", roundTrips: 1 },
    exact: 1,
  },
  {
    path: `/events/${EVENT}/talks/${TALK}`,
    status: 200,
    budget: { max: 1, min: 1, on: "replica", roundTrips: 1 },
    exact: 1,
  },
  // A search page: at most 2 round trips and 1 Redis call (narrowing by the facet sets); the second round trip
  // only when nothing was found ("did you mean").
  {
    path: "/search?q=replicas&topic=postgres&city=Lisbon",
    status: 200,
    budget: { max: 2, min: 1, on: "replica", roundTrips: 2 },
    redis: 1,
  },
  {
    path: "/search?q=replicas",
    status: 200,
    budget: { max: 2, min: 1, on: "replica", roundTrips: 2 },
    redis: 0,
  },
  {
    path: "/search?q=replicaz&topic=postgres",
    status: 200,
    budget: { max: 2, min: 2, on: "replica", roundTrips: 2 },
    redis: 1,
  },
  {
    path: "/search/suggest?q=repl",
    status: 200,
    budget: { max: 1, min: 1, on: "replica", roundTrips: 1 },
    redis: 0,
    json: true,
  },
];
// The account pages differ by visitor: /me redirects the anonymous without touching the database and shows the
// signed-in their account with one read; /login is the form, or a redirect for who is signed in already.
const me: Record<Visitor, Page[]> = {
  anonymous: [
    { path: "/me", status: 303, budget: { max: 0 }, exact: 0 },
    { path: "/login", status: 200, budget: { max: 0 }, exact: 0 },
  ],
  "signed in": [
    { path: "/me", status: 200, budget: { max: 1, min: 1, on: "replica", roundTrips: 1 }, exact: 1 },
    { path: "/login", status: 303, budget: { max: 0 }, exact: 0 },
  ],
};

const table: string[] = [];

function record(
  visitor: Visitor,
  path: string,
  log: readonly QueryLogEntry[],
  redis: readonly RedisCall[] = [],
) {
  const pools = [...new Set(log.map((e) => e.pool))].join("+") || "-";
  const statements = log.reduce((n, e) => n + e.sql.length, 0);
  const sent = redis.filter((c) => c.sent).length;
  table.push(
    `${visitor.padEnd(10)} ${path.padEnd(46)} ${String(log.length).padStart(3)} ${String(statements).padStart(5)} ${String(sent).padStart(5)}  ${pools}`,
  );
}

/** An origin response: a unique query string for anonymous pages (else the edge may answer), session bypasses. */
async function fetchPage(path: string, visitor: Visitor) {
  const sep = path.includes("?") ? "&" : "?";
  const url = visitor === "anonymous" ? `${path}${sep}qc=${crypto.randomUUID()}` : path;
  const r = await site(url, visitor === "signed in" ? { headers: { cookie: ADA } } : {});
  return {
    ...r,
    log: decodeQueryLog(r.res.headers.get("x-query-log")),
    redis: decodeRedisLog(r.res.headers.get("x-redis-log")),
  };
}

beforeAll(async () => {
  // For 5 s after a write the edge sends refills with the writer's token (they go to the primary): budgets
  // here are for the steady state, so wait out any write made just before this file.
  await eventually(
    async () => {
      const r = await site(`/events/${EVENT}?qc=${crypto.randomUUID()}`);
      return r.res.headers.get("x-db-routes")?.includes('"no-token"');
    },
    10_000,
    250,
  );
});

afterAll(() => {
  console.log(
    [
      "round trips per page (origin responses; rt = round trips, st = statements, redis = Redis round trips):",
      `${"visitor".padEnd(10)} ${"page".padEnd(46)}  rt    st redis  pools`,
      ...table,
    ].join("\n"),
  );
});

describe.each<Visitor>(["anonymous", "signed in"])("query budget per page, %s", (visitor) => {
  it.each([...pages, ...me[visitor]])("$path stays within its budget", async (page) => {
    const { res, log, redis, cacheStatus, body } = await fetchPage(page.path, visitor);
    expect(res.status, body.slice(0, 300)).toBe(page.status);
    // Proof the origin answered (a cache hit would carry an old, unrelated query log).
    expect(cacheStatus).toMatch(/fwd=(uri-miss|bypass|miss)/);
    expect(res.headers.has("x-query-log")).toBe(true);
    record(visitor, page.path, log, redis);
    assertQueries(log, page.budget);
    if (page.redis !== undefined) {
      expect(redis.filter((c) => c.sent).length, JSON.stringify(redis)).toBeLessThanOrEqual(page.redis);
    }
    // Reads never touch the primary for a visitor who has not written.
    assertQueries(log, { max: 0, on: "primary" });
    if (page.exact !== undefined) expect(log).toHaveLength(page.exact);
    // The signed-in run really was signed in (its /login is a redirect, proof enough).
    if (visitor === "signed in" && page.status === 200 && !page.json) expect(body).toContain("My account");
  });
});

describe("the anonymous event page", () => {
  it("is exactly one round trip, on a replica, with one statement", async () => {
    const { log, res } = await fetchPage(`/events/${EVENT}`, "anonymous");
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ kind: "replica", pool: "replica0", ok: true });
    expect(log[0]?.sql).toHaveLength(1);
    expect(JSON.parse(res.headers.get("x-db-routes") ?? "[]")).toEqual([
      { target: "replica0", reason: "no-token", cluster: "main" },
    ]);
    // The same numbers reach the browser as Server-Timing.
    expect(res.headers.get("server-timing")).toMatch(/db-replica0;dur=[\d.]+;desc="1 query"/);
  });

  it("assertQueries fails loudly, listing the queries, when a page goes over budget", async () => {
    const { log } = await fetchPage(`/events/${EVENT}`, "anonymous");
    expect(() => assertQueries(log, { max: 0, on: "replica" })).toThrow(
      /1 statements on replica.*\n#1 replica0/s,
    );
  });
});

describe("a write", () => {
  it("registration runs on the primary: one write batch plus the commit position, nothing on a replica", async () => {
    const r = await site(`/events/${EVENT}/register`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ ...HUMAN, name: "Query Count", email: `${crypto.randomUUID()}@qc.test` }),
    });
    expect(r.res.status, r.body).toBe(201);
    const log = decodeQueryLog(r.res.headers.get("x-query-log"));
    record("anonymous", `POST /events/${EVENT}/register`, log);
    assertQueries(log, { max: 2, min: 2, on: "primary", roundTrips: 2 });
    assertQueries(log, { max: 0, on: "replica" });
    expect(log[0]?.sql.join(" ")).toMatch(/insert into registrations/);
    expect(log[1]?.sql).toEqual(["select pg_current_wal_lsn()::text as lsn"]);
    expect(JSON.parse(r.res.headers.get("x-db-routes") ?? "[]")).toEqual([]);
  });
});
