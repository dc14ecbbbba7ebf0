// Issue 5 through the real edge → origin → Postgres path: read-your-writes by LSN, replica routing, failover, lag.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { type Healthz as DbHealthz, encodeToken, type Route, RYW_COOKIE, RYW_HEADER } from "../shared/db";
import { app as originApp } from "../workers/origin/app";
import { control, eventually, site, sql } from "./helpers";

// The shapes the origin answers with, from the data layer itself (so a change there is a type error here).
type ReplicaHealth = DbHealthz["replicas"][number];
type Healthz = DbHealthz & {
  ok: boolean;
  redis: { ok: boolean; configured: boolean };
  queue: { ok: boolean; binding: string };
};

const SEEDED = "edge-summit-2027";
const json = { "content-type": "application/json", accept: "application/json" };

function routesOf(res: Response): Route[] {
  return JSON.parse(res.headers.get("x-db-routes") ?? "[]") as Route[];
}

/** A browser's cookie jar reduced to what it would send back: name=value of every Set-Cookie. */
function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter(Boolean)
    .join("; ");
}

function countOn(html: string): number {
  const m = /id="count">(\d+)</.exec(html);
  if (!m?.[1]) throw new Error(`no registration count on the page:\n${html.slice(0, 300)}`);
  return Number(m[1]);
}

async function healthz(): Promise<{ status: number; body: Healthz }> {
  const { res, body } = await site("/healthz");
  return { status: res.status, body: JSON.parse(body) as Healthz };
}

/** Waits until the origin's probe (it caches ~2 s) reports the replica in the wanted state. */
function replicaState(check: (r: ReplicaHealth) => boolean, timeoutMs = 15_000) {
  return eventually(
    async () => {
      const { body } = await healthz();
      const replica = body.replicas[0];
      return replica && check(replica) ? replica : undefined;
    },
    timeoutMs,
    250,
  );
}

/**
 * An anonymous read that reaches the origin with no token: the bypass cookie skips the cache (a cacheable
 * refill would carry the edge's recent-write token), so the route shows the plain replica-or-primary choice.
 */
async function originRead(path = `/events/${SEEDED}`) {
  const r = await site(path, { headers: { cookie: "ep_bypass=1" } });
  return { status: r.res.status, routes: routesOf(r.res), cacheStatus: r.cacheStatus, body: r.body };
}

function register(slug: string, init: { email?: string; headers?: Record<string, string> } = {}) {
  return site(`/events/${slug}/register`, {
    method: "POST",
    headers: { ...json, ...init.headers },
    body: JSON.stringify({ name: "Replica Test", email: init.email ?? `${crypto.randomUUID()}@ryw.test` }),
  });
}

/** Runs `fn` for 0..n-1 with at most `limit` in flight. */
async function pool<T>(n: number, limit: number, fn: (i: number, lane: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async (_, lane) => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i, lane);
      }
    }),
  );
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}
function p90(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.9)] ?? Number.NaN;
}

// Lanes: each runs its trials one after another on its own fresh event, so trial k of a lane must see k.
const LANES = 10;
const TRIALS = 1000;
const run = crypto.randomUUID().slice(0, 8);
const laneSlugs = Array.from({ length: LANES }, (_, i) => `ryw-${run}-${i}`);

beforeAll(async () => {
  const db = sql();
  for (const slug of laneSlugs) {
    // Far in the future so they sort after the seeded events on the home page while they exist.
    await db`insert into events (slug, name, venue, city, starts_at)
             values (${slug}, ${`RYW lane ${slug}`}, 'Test venue', 'Testville', '2099-01-01T00:00:00Z')`;
  }
  // The lane pages must exist on the replica before trials, or a stale read would be a 404, not a count.
  await eventually(async () => {
    const rows = await sql(
      "replica",
    )`select count(*)::int as n from events where slug like ${`ryw-${run}-%`}`;
    return rows[0]?.n === LANES;
  });
});

afterAll(async () => {
  await sql()`delete from events where slug like ${`ryw-${run}-%`}`;
});

describe("read-your-writes by commit position", () => {
  it(`a client always sees its own registration at once (${TRIALS} trials, ${LANES} at a time)`, async () => {
    const started = Date.now();
    const reasons = new Map<string, number>();
    const stale: string[] = [];
    const seen = new Array<number>(LANES).fill(0);

    await pool(TRIALS, LANES, async (_, lane) => {
      const slug = laneSlugs[lane] ?? "";
      // A new visitor each time: no cookies, so nothing but the token from this write can route the read.
      const write = await register(slug);
      expect(write.res.status, write.body).toBe(201);
      expect(JSON.parse(write.body)).toMatchObject({ registered: true, duplicate: false });
      const expected = (seen[lane] ?? 0) + 1;
      seen[lane] = expected;
      expect(write.res.headers.get(RYW_HEADER.toLowerCase())).toMatch(/^1\./);
      const jar = cookiesOf(write.res);
      expect(jar).toContain(`${RYW_COOKIE}=`);

      // What the browser does next: load the event page with the cookies it was just given.
      const read = await site(`/events/${slug}`, { headers: { cookie: jar } });
      expect(read.res.status).toBe(200);
      const route = routesOf(read.res)[0];
      const key = `${route?.target === "primary" ? "primary" : "replica"}/${route?.reason ?? "none"}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
      const count = countOn(read.body);
      if (count !== expected) stale.push(`${slug}: saw ${count}, wrote #${expected} (route ${key})`);
    });

    console.log(
      `read-your-writes: ${TRIALS} trials in ${Date.now() - started} ms, stale ${stale.length}, routes`,
      Object.fromEntries(reasons),
    );
    expect(stale).toEqual([]);
    // Every read carried a token: none was routed as if the client had never written.
    expect(reasons.get("replica/no-token") ?? 0).toBe(0);
    const final =
      await sql()`select slug, registrations_count as n from events where slug like ${`ryw-${run}-%`}`;
    expect(final.reduce((n, r) => n + Number(r.n), 0)).toBe(TRIALS);
  });

  it("once the replica has replayed the write, the writer's reads go back to it and still see the write", async () => {
    const slug = laneSlugs[3] ?? "";
    const write = await register(slug);
    expect(write.res.status).toBe(201);
    const jar = cookiesOf(write.res);
    const [row] = await sql()`select registrations_count as n from events where slug = ${slug}`;
    const seen: string[] = [];
    // Not a 2 s time pin: the same token routes to the replica as soon as the probe sees it past the LSN.
    await eventually(
      async () => {
        const read = await site(`/events/${slug}`, { headers: { cookie: jar } });
        const route = routesOf(read.res)[0];
        seen.push(`${route?.target}/${route?.reason}: ${countOn(read.body)}`);
        return route?.target === "replica0" && route.reason === "caught-up";
      },
      8_000,
      200,
    );
    // Every read on the way, primary or replica, showed the write (eventually() would swallow a throw).
    expect(seen.filter((s) => !s.endsWith(`: ${row?.n}`))).toEqual([]);
    expect(seen.at(-1)).toBe(`replica0/caught-up: ${row?.n}`);
  });

  it("an API client sending X-Read-After back (signed in, no cookie jar) sees its write", async () => {
    const email = `${crypto.randomUUID()}@ryw.test`;
    const sessionId = `s_ryw_${crypto.randomUUID()}`;
    const [user] = await sql()`insert into users (email, name) values (${email}, 'RYW API') returning id`;
    await sql()`insert into sessions (id, user_id, expires_at) values (${sessionId}, ${user?.id}, now() + interval '1 hour')`;
    try {
      const slug = laneSlugs[0] ?? "";
      for (let i = 0; i < 5; i++) {
        const before = (await sql()`select registrations_count as n from events where slug = ${slug}`)[0]?.n;
        const write = await register(slug, { headers: { cookie: `sid=${sessionId}` } });
        expect(write.res.status, write.body).toBe(201);
        const token = write.res.headers.get(RYW_HEADER) ?? "";
        expect(token).not.toBe("");
        // Only the session and the header: no ep_ryw cookie, no bypass cookie.
        const read = await site(`/events/${slug}`, {
          headers: { cookie: `sid=${sessionId}`, [RYW_HEADER]: token },
        });
        expect(routesOf(read.res)[0]?.reason).not.toBe("no-token");
        expect(countOn(read.body)).toBe(Number(before) + 1);
      }
    } finally {
      await sql()`delete from users where email = ${email}`;
    }
  });

  // Works because the edge remembers the latest write for 5 s and sends it on cacheable refills; the
  // client's own header is not forwarded on cacheable routes (see report), so a read via another isolate
  // (or after 5 s) relies on the replica having caught up.
  it("an anonymous API client (header only, no cookie jar) sees its write on a cacheable page", async () => {
    const slug = laneSlugs[1] ?? "";
    await replicaState((r) => r.healthy);
    const write = await register(slug);
    expect(write.res.status).toBe(201);
    const token = write.res.headers.get(RYW_HEADER) ?? "";
    const [row] = await sql()`select registrations_count as n from events where slug = ${slug}`;
    const read = await site(`/events/${slug}`, { headers: { [RYW_HEADER]: token } });
    expect(routesOf(read.res)[0]?.reason).not.toBe("no-token");
    expect(countOn(read.body)).toBe(Number(row?.n));
  });
});

describe("other clients", () => {
  it("right after someone else's write, clients without a token are routed to the replica", async () => {
    // A fresh, healthy probe snapshot first, so the reads below use it rather than a refresh racing the write.
    await replicaState((r) => r.healthy);
    const write = await register(SEEDED);
    expect(write.res.status).toBe(201);
    // A signed-in reader and an anonymous one past the cache: personal reads, no token of their own.
    const signedIn = await site(`/events/${SEEDED}`, { headers: { cookie: "sid=dev-session-cy" } });
    expect(signedIn.body).toContain("My account");
    expect(routesOf(signedIn.res)).toEqual([{ target: "replica0", reason: "no-token", cluster: "main" }]);
    const anonymous = await originRead();
    expect(anonymous.status).toBe(200);
    expect(anonymous.routes).toEqual([{ target: "replica0", reason: "no-token", cluster: "main" }]);
  });

  it("a page purged by a write is refilled fresh, so the shared cache never keeps the pre-write page", async () => {
    const slug = laneSlugs[2] ?? "";
    await replicaState((r) => r.healthy);
    const write = await register(slug);
    expect(write.res.status).toBe(201);
    const [row] = await sql()`select registrations_count as n from events where slug = ${slug}`;
    // Someone else's miss right after the purge, while the replica is still 1 s behind.
    const refill = await site(`/events/${slug}`);
    expect(refill.cacheStatus).toMatch(/fwd=uri-miss.*stored/);
    expect(routesOf(refill.res)[0]?.reason).not.toBe("no-token");
    expect(countOn(refill.body)).toBe(Number(row?.n));
    const hit = await site(`/events/${slug}`);
    expect(hit.cacheStatus).toMatch(/hit/);
    expect(countOn(hit.body)).toBe(Number(row?.n));
  });
});

describe("replica failure and lag", () => {
  afterEach(async () => {
    // Always leave the stack as the other files expect it: replica up with the real 1 s apply delay.
    await control("replica/start", "?applyDelayMs=1000");
    await replicaState((r) => r.healthy, 20_000);
  });

  it("reads go to the primary while the replica is down, and back to it once it is up", async () => {
    await control("replica/stop");
    const down = await replicaState((r) => !r.ok && !r.healthy);
    expect(down).toMatchObject({ reason: "unreachable", lagBytes: null, lagSeconds: null });
    for (let i = 0; i < 3; i++) {
      const read = await originRead();
      expect(read.status).toBe(200);
      expect(read.body).toContain("Edge Summit 2027");
      expect(read.routes).toEqual([{ target: "primary", reason: "none-healthy", cluster: "main" }]);
    }
    const { status, body } = await healthz();
    expect(status).toBe(200);
    expect(body.ok).toBe(true);

    await control("replica/start", "?applyDelayMs=1000");
    await replicaState((r) => r.ok && r.healthy && r.reason === "ok");
    const back = await originRead();
    expect(back.routes).toEqual([{ target: "replica0", reason: "no-token", cluster: "main" }]);
  });

  // Before the probe notices (its verdict is cached ~2 s), a read sent to a dead replica retries on the primary.
  it("a read routed to a replica that has just died still succeeds", async () => {
    await replicaState((r) => r.healthy);
    await control("replica/stop");
    const read = await originRead();
    expect(read.status).toBe(200);
  });

  // KNOWN BUG (see report): lag is `now() - pg_last_xact_replay_timestamp()` whenever WAL is pending, i.e. the
  // age of the last commit replayed *before* the idle period, so a replica 1 s behind reads as seconds behind
  // and is taken out after every write that follows a quiet spell. Flip once the probe bounds lag properly.
  it.fails("a replica 1 s behind is not reported past the 2 s threshold after a quiet spell", async () => {
    await replicaState((r) => r.healthy && r.lagBytes === 0);
    await new Promise((r) => setTimeout(r, 3_000));
    await sql()`update events set version = version where slug = ${SEEDED}`;
    const { body } = await healthz();
    expect(body.replicas[0]?.lagBytes ?? 0).toBeGreaterThan(0);
    expect(body.replicas[0]?.healthy).toBe(true);
  });

  it("a replica lagging past the 2 s threshold is taken out (reason lagging) and put back once caught up", async () => {
    await control("replica/start", "?applyDelayMs=4000");
    // Something to lag on: a write the replica will hold back for 4 s.
    await sql()`update events set version = version where slug = ${SEEDED}`;
    const lagging = await replicaState((r) => r.reason === "lagging", 10_000);
    expect(lagging.healthy).toBe(false);
    expect(lagging.ok).toBe(true);
    expect(lagging.lagSeconds ?? 0).toBeGreaterThan(2);
    expect(lagging.lagBytes ?? 0).toBeGreaterThan(0);
    const read = await originRead();
    expect(read.status).toBe(200);
    expect(read.routes).toEqual([{ target: "primary", reason: "none-healthy", cluster: "main" }]);

    await control("replica/start", "?applyDelayMs=1000");
    const back = await replicaState((r) => r.healthy && r.reason === "ok", 20_000);
    expect(back.lagSeconds ?? 99).toBeLessThanOrEqual(1);
    expect((await originRead()).routes[0]?.target).toBe("replica0");
  });
});

describe("/healthz", () => {
  it("reports the primary's position, each replica's lag and verdict, Redis and the queue", async () => {
    const { status, body } = await healthz();
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.primary.ok).toBe(true);
    expect(body.primary.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(body.replicas).toHaveLength(1);
    const replica = body.replicas[0];
    expect(replica).toMatchObject({ name: "replica0", ok: true });
    expect(typeof replica?.healthy).toBe("boolean");
    expect(typeof replica?.lagBytes).toBe("number");
    expect(typeof replica?.lagSeconds).toBe("number");
    expect(replica?.replayLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(body.redis).toMatchObject({ ok: true, configured: true });
    expect(body.queue).toEqual({ ok: true, binding: "JOBS" });
    const res = (await site("/healthz")).res;
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 with primary.ok false when the primary is unreachable (origin app, dead DATABASE_URL)", async () => {
    // The shared primary must stay up for the other files, so this drives the origin app in-process
    // with the same vars as the bundled origin but a primary nobody listens on.
    const vars = inject("workerVars").origin;
    const dead = new URL(vars.DATABASE_URL ?? "postgres://postgres@127.0.0.1/edgeplate");
    dead.port = "1";
    const originEnv = {
      ...vars,
      SESSION_COOKIE: "sid",
      R2_BUCKET: "edgeplate-uploads",
      DATABASE_URL: dead.toString(),
      CONFIG: env.CONFIG,
      JOBS: { send: async () => {}, sendBatch: async () => {} },
    } as unknown as OriginEnv;
    const ctx = createExecutionContext();
    const res = await originApp.fetch(new Request("http://origin.internal/healthz"), originEnv, ctx);
    await waitOnExecutionContext(ctx);
    const body = (await res.json()) as Healthz;
    expect(res.status).toBe(503);
    expect(body.ok).toBe(false);
    expect(body.primary).toEqual({ ok: false, lsn: null });
    // The replica is still measured; without the primary's position its lag in bytes is unknown.
    expect(body.replicas[0]?.lagBytes).toBeNull();
  });
});

describe("what routing costs (a measurement, not an assertion)", () => {
  it("times anonymous origin reads without a token, with a caught-up token, and pinned to the primary", async () => {
    const secret = inject("workerVars").origin.EDGE_SECRET ?? "";
    await replicaState((r) => r.healthy);
    const N = 200;
    // ep_bypass=1 makes every request an origin read through the same edge path, whatever the token.
    const modes = {
      "no token → replica": async () => "ep_bypass=1",
      // Old enough that the probe sample is newer, and at a position every replica has passed.
      "caught-up token → replica": async () =>
        `ep_bypass=1; ${RYW_COOKIE}=${await encodeToken({ lsn: "0/1", at: Date.now() - 10_000 }, secret)}`,
      // A position no replica has reached: the read must go to the primary.
      "token ahead → primary": async () =>
        `ep_bypass=1; ${RYW_COOKIE}=${await encodeToken({ lsn: "FFFF/0", at: Date.now() }, secret)}`,
    } as const;
    const times = new Map<string, number[]>();
    const dbMs = new Map<string, number[]>();
    const targets = new Map<string, Set<string>>();
    for (let i = 0; i < N; i++) {
      for (const [name, cookie] of Object.entries(modes)) {
        const headers = { cookie: await cookie() };
        const t = performance.now();
        const r = await site(`/events/${SEEDED}`, { headers });
        const ms = performance.now() - t;
        expect(r.res.status).toBe(200);
        times.set(name, [...(times.get(name) ?? []), ms]);
        const timing = r.res.headers.get("server-timing") ?? "";
        const db = [...timing.matchAll(/db-[^;]+;dur=([\d.]+)/g)].reduce((n, m) => n + Number(m[1]), 0);
        dbMs.set(name, [...(dbMs.get(name) ?? []), db]);
        const set = targets.get(name) ?? new Set<string>();
        for (const route of routesOf(r.res)) set.add(`${route.target}/${route.reason}`);
        targets.set(name, set);
      }
    }
    const rows = [...times.entries()].map(([mode, xs]) => ({
      mode,
      routes: [...(targets.get(mode) ?? [])].join(" "),
      "median ms": Number(median(xs).toFixed(2)),
      "p90 ms": Number(p90(xs).toFixed(2)),
      "median db ms": Number(median(dbMs.get(mode) ?? []).toFixed(2)),
    }));
    console.log(
      [
        `routing cost over ${N} reads per mode (edge → origin → Postgres, local):`,
        ...rows.map(
          (r) =>
            `  ${r.mode.padEnd(28)} ${r.routes.padEnd(22)} median ${r["median ms"]} ms, p90 ${r["p90 ms"]} ms, db ${r["median db ms"]} ms`,
        ),
      ].join("\n"),
    );
    expect(targets.get("no token → replica")).toEqual(new Set(["replica0/no-token"]));
    expect(targets.get("caught-up token → replica")).toEqual(new Set(["replica0/caught-up"]));
    expect([...(targets.get("token ahead → primary") ?? [])].every((t) => t.startsWith("primary/"))).toBe(
      true,
    );
  });
});
