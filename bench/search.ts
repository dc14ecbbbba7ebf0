// Bench: search on the generated corpus (2,000 events, 50,000 talks): latency at the origin for common and rare
// queries, naive ILIKE vs full-text search with facets in SQL vs Redis narrowing, side by side in one run; then
// the edge's hit ratio under a Zipf load of searches. Usage: npx tsx bench/search.ts
// (env: BENCH_ROUNDS=60 BENCH_REQUESTS=20000 BENCH_CORPUS_SCALE=1)
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { neon, neonConfig } from "@neondatabase/serverless";
import { Redis } from "@upstash/redis";
import { type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-http";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import { FULL_CORPUS, generateCorpus, loadCorpus } from "../scripts/db/examples/corpus.ts";
import { seedTopics } from "../scripts/db/examples/seed-data.ts";
import { facetRedis, rebuildSearchIndex } from "../scripts/db/search-index.ts";
import { freePort } from "../scripts/stack/free-port.ts";
import { startStack } from "../scripts/stack/index.ts";
import { createRedisGuard } from "../shared/datacache/index.ts";
import { useLocalNeonProxy } from "../shared/db/index.ts";
import {
  drizzleRows,
  facetKeys,
  runSiteSearch,
  SITE_SEARCH,
  type SiteQuery,
  searchStatement,
  siteQuery,
} from "../shared/search/examples/index.ts";
import { groupMembers, narrowByFacets, readSearch } from "../shared/search/index.ts";
import { startEdgeStack } from "./lib/edge-stack.ts";
import { originStats, resetOrigin } from "./lib/probe.ts";
import { searchUniverse, zipfRequests } from "./lib/search-load.ts";
import { formatMs, percentile, table } from "./lib/stats.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
/** A smaller corpus for trying the bench itself out (1 = the full 2,000 events and 50,000 talks). */
const SCALE = Number(process.env.BENCH_CORPUS_SCALE ?? 1);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
/** Distinct searches the Zipf load draws from. */
const UNIVERSE = 5_000;
const CONCURRENCY = 16;
const SEARCH_CACHE = "public, s-maxage=30, stale-while-revalidate=30, stale-if-error=3600";
const dialect = new PgDialect();

type Method = "ilike" | "sql" | "redis";
type Case = { label: string; qs: string; user?: number };

/** The naive baseline: substring match on every text column, facets in SQL, newest first (it cannot rank). */
function ilikeStatement(q: SiteQuery, text: string, userId: number | null): SQL {
  const p = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const facets = (doc: SQL): SQL[] => [
    ...q.topics.map(
      (t) => sql`exists (select 1 from talk_topics tt join topics tp on tp.id = tt.topic_id join talks t2
        on t2.id = tt.talk_id where tp.slug = ${t} and ${doc})`,
    ),
    ...(q.city ? [sql`e.city = ${q.city}`] : []),
    ...(q.mine
      ? [
          sql`e.id in (select r.event_id from registrations r join users u on u.email = r.email
        where u.id = ${userId ?? 0})`,
        ]
      : []),
  ];
  const ev = [
    sql`(e.name ilike ${p} or e.description ilike ${p} or e.venue ilike ${p} or e.city ilike ${p})`,
  ];
  const tk = [sql`(t.title ilike ${p} or t.abstract ilike ${p} or t.speaker ilike ${p})`];
  const and = (parts: SQL[]) => sql.join(parts, sql` and `);
  return sql`select kind, id, title, count(*) over () as total from (
      select 'e' as kind, e.id, e.name as title, e.starts_at from events e
      where ${and([...ev, ...facets(sql`t2.event_id = e.id`)])}
      union all
      select 't', t.id, t.title, e.starts_at from talks t join events e on e.id = t.event_id
      where ${and([...tk, ...facets(sql`t2.id = t.id`)])}
    ) h order by starts_at desc, id limit 20`;
}

async function waitForReplica(primaryUrl: string, replicaUrl: string): Promise<void> {
  const one = async (url: string, q: string) => {
    const c = new pg.Client(url);
    await c.connect();
    try {
      return (await c.query<{ lsn: string }>(q)).rows[0]?.lsn ?? "";
    } finally {
      await c.end();
    }
  };
  const target = await one(primaryUrl, "select pg_current_wal_lsn()::text as lsn");
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const c = new pg.Client(replicaUrl);
    await c.connect();
    const caught = (await c.query(`select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok`, [target])).rows[0]
      ?.ok;
    await c.end();
    if (caught) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the replica did not catch up with the corpus within 2 minutes");
}

async function main(): Promise<void> {
  const dataDir = join(process.cwd(), ".data", "bench", `search-${process.pid}`);
  const ports = {
    primary: await freePort(),
    replica: await freePort(),
    neonProxy: await freePort(),
    redis: await freePort(),
    upstash: await freePort(),
    fakes: await freePort(),
  };
  console.log("starting Postgres (primary + replica), Redis and the proxies…");
  const stack = await startStack({ dataDir, ports, log: () => {}, env: {} });
  try {
    await originBench(stack);
    await edgeBench();
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function originBench(stack: Awaited<ReturnType<typeof startStack>>): Promise<void> {
  const corpus = generateCorpus({
    events: Math.round(FULL_CORPUS.events * SCALE),
    talks: Math.round(FULL_CORPUS.talks * SCALE),
    speakers: Math.round(FULL_CORPUS.speakers * SCALE),
    users: Math.round(FULL_CORPUS.users * SCALE),
  });
  const loaded = await loadCorpus(stack.primaryUrl, corpus, (l) => console.log(`  corpus: ${l}`));
  console.log(`corpus loaded in ${(loaded.ms / 1000).toFixed(1)} s`);
  const index = await rebuildSearchIndex({
    databaseUrl: stack.primaryUrl,
    redis: facetRedis(stack.upstashUrl, stack.secrets.upstashToken),
  });
  console.log(`facet sets: ${index.facets?.sets} sets, ${index.facets?.members} members, ${index.ms} ms`);
  await waitForReplica(stack.primaryUrl, stack.replicaUrl);

  const admin = new pg.Client(stack.primaryUrl);
  await admin.connect();
  const sizes = (
    await admin.query(`select relname, pg_size_pretty(pg_relation_size(oid)) as size from pg_class
      where relname in ('talks', 'talks_search', 'events_search') order by relname`)
  ).rows.map((r) => `${r.relname} ${r.size}`);
  const rare = (
    await admin.query<{ word: string }>(`select word from ts_stat('select search_vector from talks')
      where ndoc between 2 and 4 and word ~ '^[a-z]{8,}$' order by word limit 1`)
  ).rows[0]?.word;
  const speaker = (
    await admin.query<{ speaker: string }>(
      "select speaker from talks group by speaker having count(*) = 3 order by speaker limit 1",
    )
  ).rows[0]?.speaker;
  const user = (
    await admin.query<{ id: number }>(`select u.id from users u join registrations r on r.email = u.email
      group by u.id order by count(*) desc, u.id limit 1`)
  ).rows[0]?.id;
  if (!rare || !speaker || !user) throw new Error("the corpus has no rare word, speaker or registered user");
  console.log(`index sizes: ${sizes.join(", ")}; rare word "${rare}", speaker "${speaker}", user ${user}`);

  useLocalNeonProxy(neonConfig, stack.neonProxy);
  const rows = drizzleRows(drizzle({ client: neon(stack.replicaUrl) }));
  const redis = new Redis({ url: stack.upstashUrl, token: stack.secrets.upstashToken, retry: false });
  const guard = createRedisGuard({ timeoutMs: 2_000, log: (l) => console.log(`  ${l}`) });
  const cases: Case[] = [
    { label: "common word (postgres)", qs: "q=postgres" },
    { label: `rare word (${rare})`, qs: `q=${rare}` },
    { label: "rare: a speaker's name", qs: `q=${encodeURIComponent(speaker)}` },
    { label: "common + topic + city", qs: "q=postgres&topic=caching&city=Berlin" },
    { label: "common + topic (broad)", qs: "q=postgres&topic=caching" },
    { label: "rare + topic", qs: `q=${rare}&topic=caching` },
    { label: "topic + city, no words", qs: "topic=caching&city=Berlin" },
    { label: "common + registered for", qs: "q=postgres&mine=1", user },
  ];
  const parsed = cases.map((c) =>
    siteQuery(readSearch(new URLSearchParams(c.qs), SITE_SEARCH, { shared: false })),
  );
  const faceted = (i: number) =>
    (parsed[i]?.topics.length ?? 0) > 0 || !!parsed[i]?.city || !!parsed[i]?.mine;
  const times = new Map<string, number[]>();
  const info = new Map<string, string>();
  const run = async (i: number, method: Method) => {
    const q = parsed[i] as SiteQuery;
    const c = cases[i] as Case;
    const t = performance.now();
    if (method === "ilike") {
      const r = await rows<{ total: string }>(
        ilikeStatement(q, new URLSearchParams(c.qs).get("q") ?? "", c.user ?? null),
      );
      info.set(`${i}:ilike`, String(r[0]?.total ?? 0));
    } else {
      const out = await runSiteSearch(
        { rows, redis: method === "redis" ? redis : null, guard },
        q,
        c.user ?? null,
      );
      info.set(`${i}:${method}`, `${out.row.total} (${out.facets})`);
    }
    const key = `${i}:${method}`;
    times.set(key, [...(times.get(key) ?? []), performance.now() - t]);
  };
  const methods = (i: number): Method[] => (faceted(i) ? ["ilike", "sql", "redis"] : ["ilike", "sql"]);
  console.log(`\norigin latency: ${ROUNDS} rounds (+3 warm-up), every case and method in every round`);
  for (let round = -3; round < ROUNDS; round++) {
    for (let i = 0; i < cases.length; i++) for (const m of methods(i)) await run(i, m);
    if (round === -1) times.clear();
  }
  const cell = (i: number, m: Method) => {
    const s = times.get(`${i}:${m}`);
    return s ? `${formatMs(percentile(s, 50))} / ${formatMs(percentile(s, 99))}` : "(no facets)";
  };
  console.log(
    table(
      ["query", "results", "ILIKE '%q%' p50 / p99", "FTS, facets in SQL", "FTS + Redis narrowing"],
      cases.map((c, i) => [
        c.label,
        (info.get(`${i}:sql`) ?? "").split(" ")[0] ?? "",
        cell(i, "ilike"),
        cell(i, "sql"),
        cell(i, "redis"),
      ]),
    ),
  );
  console.log(
    `(ILIKE matched: ${cases.map((_, i) => info.get(`${i}:ilike`)).join(", ")} rows; substring, not words)`,
  );
  const p50 = (i: number, m: Method) => percentile(times.get(`${i}:${m}`) ?? [], 50);
  console.log(
    `RESULT: origin p50 common ${formatMs(p50(0, "sql"))} (ILIKE ${formatMs(p50(0, "ilike"))}), rare ${formatMs(p50(1, "sql"))} (ILIKE ${formatMs(p50(1, "ilike"))}); common + facets ${formatMs(p50(3, "redis"))} with Redis narrowing vs ${formatMs(p50(3, "sql"))} in SQL`,
  );

  for (const i of [0, 1, 3]) {
    for (const m of i === 3 ? (["sql", "redis"] as const) : (["sql"] as const)) {
      let statement = searchStatement(parsed[i] as SiteQuery, {
        userId: null,
        candidates: null,
        prefix: true,
      });
      if (m === "redis") {
        const [first, ...rest] = facetKeys(parsed[i] as SiteQuery, null);
        const got = first ? await narrowByFacets(redis, guard, [first, ...rest]) : null;
        const ids = got?.status === "narrowed" ? groupMembers(got.members) : new Map<string, number[]>();
        const candidates = { events: ids.get("e") ?? [], talks: ids.get("t") ?? [] };
        statement = searchStatement(parsed[i] as SiteQuery, { userId: null, candidates, prefix: true });
        console.log(
          `\n(${candidates.events.length} events and ${candidates.talks.length} talks from the sets)`,
        );
      }
      const q = dialect.sqlToQuery(statement);
      const plan = await admin.query(`explain (analyze, buffers, costs off) ${q.sql}`, q.params);
      console.log(`\nEXPLAIN ${cases[i]?.label}, facets ${m === "redis" ? "from Redis" : "in SQL"}:`);
      console.log(plan.rows.map((r) => `  ${r["QUERY PLAN"]}`).join("\n"));
    }
  }
  await admin.end();
  console.log(`\ntopics in the corpus: ${seedTopics.map((t) => t.slug).join(", ")}`);
}

async function edgeBench(): Promise<void> {
  // The /search rule as esbuild writes it, minified (`query:s(e=>Nr(e,Ya,{shared:!0}),"query"),popularity:{…}`,
  // as deployed) or not (`query: /* @__PURE__ */ __name((p) => canonicalSearch(p, SITE_SEARCH, { shared: true }),
  // "query"),`): names are mangled, so the rule is found by its shape and the popularity that follows it.
  const popularity = String.raw`popularity:\s*\{\s*uses:\s*2,\s*windowSeconds:\s*120\s*\}`;
  const canonical = new RegExp(
    String.raw`query:[^\n{}]*?\{\s*shared:\s*(?:true|!0)\s*\}\)\s*,\s*"query"\)(?=\s*,\s*${popularity})`,
  );
  const popular = new RegExp(popularity);
  const edge = await startEdgeStack({
    origin: { cacheControl: SEARCH_CACHE, delayMs: 5 },
    variants: [
      { name: "no-popularity", patches: [{ find: popular, replace: "popularity:null" }] },
      {
        name: "raw-keys",
        patches: [
          { find: canonical, replace: "query:null" },
          { find: popular, replace: "popularity:null" },
        ],
      },
    ],
  });
  try {
    for (const s of edge.skipped) console.log(`skipped variant ${s}`);
    const corpus = generateCorpus({ events: 50, talks: 500, speakers: 100, users: 10 });
    const universe = searchUniverse(
      corpus.vocabulary,
      seedTopics.map((t) => t.slug),
      ["Berlin", "London", "Lisbon", "Tokyo"],
      UNIVERSE,
    );
    const paths = zipfRequests(universe, REQUESTS);
    const origin = edge.urls.get("origin");
    if (!origin) throw new Error("no origin stub");
    const rows: string[][] = [];
    const ratios = new Map<string, number>();
    const names = ["edge", "no-popularity", "raw-keys"].filter((name) => edge.urls.has(name));
    for (const name of names) {
      const base = edge.urls.get(name);
      if (!base) continue;
      await resetOrigin(origin);
      let hits = 0;
      let stored = 0;
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < paths.length) {
            const path = paths[next++] ?? "/search";
            const res = await fetch(new URL(path, base));
            await res.arrayBuffer();
            const status = res.headers.get("cache-status") ?? "";
            if (/;\s*hit\b/.test(status)) hits++;
            if (/stored/.test(status)) stored++;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const fetched = (await originStats(origin)).fetches;
      ratios.set(name, hits / paths.length);
      rows.push([
        name === "edge"
          ? "ours: canonical key + store from the 2nd request"
          : name === "no-popularity"
            ? "canonical key, store every answer"
            : "raw URL as key, store every answer",
        `${((100 * hits) / paths.length).toFixed(1)} %`,
        String(fetched),
        String(stored),
        `${(paths.length / seconds).toFixed(0)}/s`,
      ]);
    }
    const distinct = new Set(paths.map((p) => p)).size;
    console.log(
      `\nedge under a Zipf(1) load: ${paths.length} requests over ${universe.length} searches, ${distinct} distinct URLs as sent`,
    );
    console.log(table(["edge", "hit ratio", "origin fetches", "pages stored", "rate"], rows));
    // A skipped variant says so rather than printing a figure it never measured.
    const ratio = (name: string) => {
      const r = ratios.get(name);
      return r === undefined ? "skipped" : `${(100 * r).toFixed(1)} %`;
    };
    const stores = (name: string) => rows[names.indexOf(name)]?.[3] ?? "skipped";
    console.log(
      `RESULT: edge hit ratio ${ratio("edge")} (stores ${stores("edge")} pages; ${stores("no-popularity")} without the popularity rule, ${ratio("raw-keys")} hits with raw URLs as keys)`,
    );
  } finally {
    await edge.dispose();
  }
}

await main();
