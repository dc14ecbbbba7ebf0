// Redis through the real path: the cached events list, a Redis outage the site survives, buffered view counts.
import { Redis } from "@upstash/redis/cloudflare";
import { afterEach, describe, expect, inject, it } from "vitest";
import { decodeQueryLog, type QueryLogEntry } from "../shared/db/index.ts";
import { admin, control, eventually, HUMAN, site, sql } from "./helpers.ts";

const EVENT = "edge-summit-2027";
const LIST_KEY = "dc:d:events:list";
const VIEWS = "ctr:talk-views";

// The test reads Redis the way the Workers do (same Upstash-compatible endpoint) to see what they left there.
const vars = inject("workerVars").origin;
const redis = new Redis({
  url: vars.UPSTASH_REDIS_REST_URL ?? "",
  token: vars.UPSTASH_REDIS_REST_TOKEN ?? "",
  retry: false,
  enableAutoPipelining: false,
});

/** A page through the edge with a unique query string, so it always reaches the origin. */
async function fresh(path: string, init?: RequestInit) {
  const sep = path.includes("?") ? "&" : "?";
  const started = performance.now();
  const r = await site(`${path}${sep}fresh=${crypto.randomUUID()}`, init);
  const ms = performance.now() - started;
  const log: QueryLogEntry[] = decodeQueryLog(r.res.headers.get("x-query-log"));
  return { ...r, ms, log };
}

/** Statements that loaded the events list (the only query the home page makes). */
function listQueries(log: QueryLogEntry[]) {
  expect(log.map((e) => e.ok)).not.toContain(false);
  return log.flatMap((e) => e.sql).filter((q) => /from "events"/.test(q)).length;
}

/** Waits until the origin uses Redis again (its breaker skips Redis for 5 s after a failure): fill, then a hit. */
async function cacheInUse() {
  await eventually(
    async () => {
      await fresh("/");
      return (await fresh("/")).log.length === 0;
    },
    15_000,
    250,
  );
}

/** The "N registered" the home page shows for the test event. */
function registeredOnHome(html: string): number | null {
  const card = html.slice(html.indexOf(`href="/events/${EVENT}"`));
  const m = /(\d+) registered/.exec(card);
  return m?.[1] === undefined ? null : Number(m[1]);
}

async function aTalk() {
  const [talk] = (await sql()`
    select t.id, t.slug, t.title, e.slug as event from talks t join events e on e.id = t.event_id
    where e.slug = ${EVENT} order by t.id limit 1`) as {
    id: number;
    slug: string;
    title: string;
    event: string;
  }[];
  if (!talk) throw new Error("seed data has no talk for the test event");
  return talk;
}

async function views(talkId: number) {
  const [row] = (await sql()`select views from talks where id = ${talkId}`) as { views: string }[];
  return Number(row?.views);
}

async function ledgerCount(name: string) {
  const [row] = (await sql()`select count(*)::int as n from job_ledger where name = ${name}`) as {
    n: number;
  }[];
  return row?.n ?? 0;
}

/** One cron tick: enqueue the counter flush and wait until the jobs Worker has finished it (its ledger row). */
async function tick() {
  const done = await ledgerCount("flush-counters");
  const cron = await admin("POST", "/_admin/cron");
  expect(cron.res.status, cron.text).toBe(200);
  expect(cron.json).toMatchObject({ enqueued: ["flush-counters"] });
  await eventually(async () => (await ledgerCount("flush-counters")) > done, 10_000);
}

let redisStopped = false;
afterEach(async () => {
  if (redisStopped) {
    await control("redis/start");
    redisStopped = false;
  }
});

describe("the events list cached in Redis", () => {
  it("is loaded from the database once, then served from Redis with zero database round trips", async () => {
    await redis.del(LIST_KEY);
    const first = await fresh("/");
    expect(first.res.status).toBe(200);
    expect(first.body).toContain("Edge Summit 2027");
    // One statement, on whichever pool the router picked (the replica unless it lags).
    expect(listQueries(first.log)).toBe(1);
    expect(await redis.exists(LIST_KEY)).toBe(1);
    const ttl = await redis.pttl(LIST_KEY);
    // 30 s TTL (±10 % jitter) plus as long again of serve-stale headroom.
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(66_000);

    const second = await fresh("/");
    expect(second.res.status).toBe(200);
    expect(second.log, JSON.stringify(second.log)).toEqual([]);
    expect(second.body).toContain("Edge Summit 2027");
  });

  it("a registration bumps the list's tag: the next visitor sees the new count, not a stale cached list", async () => {
    await fresh("/");
    const warm = await fresh("/");
    expect(warm.log).toEqual([]);
    const email = `redis-${crypto.randomUUID()}@example.com`;
    const reg = await site(`/events/${EVENT}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...HUMAN, name: "Redis Test", email }),
    });
    expect(reg.res.status, reg.body).toBe(201);
    const [row] = (await sql()`select registrations_count as n from events where slug = ${EVENT}`) as {
      n: number;
    }[];
    // A visitor right after the write (no read-your-writes token) reloads the list …
    const after = await fresh("/");
    expect(listQueries(after.log)).toBe(1);
    // … and within a couple of seconds every visitor sees the new count (at worst the replica's 1 s lag).
    await eventually(async () => registeredOnHome((await fresh("/")).body) === row?.n, 3_000, 200);
  });
});

describe("a Redis outage", () => {
  it("leaves every page working within a small latency budget; /healthz says Redis is down; then it recovers", async () => {
    const talk = await aTalk();
    await control("redis/stop");
    redisStopped = true;

    const pages = [
      { path: "/", expect: "Edge Summit 2027" },
      { path: `/events/${EVENT}`, expect: "Edge Summit 2027" },
      { path: `/events/${talk.event}/talks/${talk.slug}`, expect: talk.title },
    ];
    const timings: Record<string, number> = {};
    for (const page of pages) {
      const r = await fresh(page.path);
      expect(r.res.status, `${page.path}: ${r.body.slice(0, 300)}`).toBe(200);
      expect(r.body).toContain(page.expect);
      timings[page.path] = Math.round(r.ms);
      // A dead Redis costs one timeout (150 ms) for the first caller, then nothing while the breaker is open.
      expect(r.ms, page.path).toBeLessThan(500);
    }
    const email = `redis-down-${crypto.randomUUID()}@example.com`;
    const started = performance.now();
    const reg = await site(`/events/${EVENT}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...HUMAN, name: "Redis Down", email }),
    });
    timings.register = Math.round(performance.now() - started);
    expect(reg.res.status, reg.body).toBe(201);
    expect(timings.register).toBeLessThan(500);
    expect(await sql()`select 1 from registrations where email = ${email}`).toHaveLength(1);
    // The list keeps working from the database on every request while Redis is away.
    const again = await fresh("/");
    expect(again.res.status).toBe(200);
    expect(listQueries(again.log)).toBe(1);

    const health = await site("/healthz");
    const h = JSON.parse(health.body) as { ok: boolean; redis: { ok: boolean; configured: boolean } };
    expect(health.res.status).toBe(200);
    expect(h.ok).toBe(true);
    expect(h.redis).toMatchObject({ ok: false, configured: true });
    console.log(JSON.stringify({ test: "redis-down", ms: timings }));

    await control("redis/start");
    redisStopped = false;
    await eventually(async () => {
      const r = await site("/healthz");
      return (JSON.parse(r.body) as { redis: { ok: boolean } }).redis.ok;
    }, 10_000);
    // After the breaker's cool-down (5 s) the cache is used again: a fill, then a hit with no database work.
    const recoveredIn = performance.now();
    await cacheInUse();
    console.log(JSON.stringify({ test: "redis-recovered", ms: Math.round(performance.now() - recoveredIn) }));
  }, 60_000);
});

describe("talk views buffered in Redis", () => {
  it("N beacons, one cron tick: talks.views grows by N in ONE batch statement", async () => {
    const talk = await aTalk();
    // Beacons are dropped while the origin's breaker skips Redis, so start with Redis in use.
    await cacheInUse();
    // Drain anything earlier runs left (and wait for that flush to finish), so the count below is ours alone.
    await tick();
    const before = await views(talk.id);
    const batches = await ledgerCount("talk-views");

    const n = 7;
    for (let i = 0; i < n; i++) {
      const r = await site(`/talks/${talk.id}/view`, { method: "POST" });
      expect(r.res.status).toBe(204);
    }
    // Increments land in waitUntil after the 204; wait for all of them, so one drain takes them all.
    await eventually(async () => Number(await redis.hget(VIEWS, String(talk.id))) === n, 5_000);
    // Buffered, not written: the database has not seen a single view yet.
    expect(await views(talk.id)).toBe(before);

    await tick();
    expect(await views(talk.id)).toBe(before + n);
    expect(await ledgerCount("talk-views")).toBe(batches + 1);
    expect(await redis.exists(VIEWS, `${VIEWS}:inflight`)).toBe(0);

    // A second tick with nothing buffered changes nothing.
    await tick();
    expect(await views(talk.id)).toBe(before + n);
    expect(await ledgerCount("talk-views")).toBe(batches + 1);
  });

  it("answers a view beacon for a talk id that cannot exist with a 404", async () => {
    const r = await site("/talks/abc/view", { method: "POST" });
    expect(r.res.status).toBe(404);
  });
});
