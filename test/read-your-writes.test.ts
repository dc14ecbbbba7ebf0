// Read-your-writes by WAL position through the real edge → origin → Postgres path (replica 1 s behind).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { RYW_COOKIE, RYW_HEADER } from "../shared/db/index.ts";
import { eventually, sessionFor, site, sql } from "./helpers.ts";
import {
  cookiesOf,
  countOn,
  originRead,
  pool,
  register,
  replicaState,
  routesOf,
  SEEDED,
} from "./replica-helpers.ts";

// Lanes: each runs its trials one after another on its own fresh event, so trial k of a lane must see k.
const LANES = 10;
// 100 in `npm test`; `RYW_TRIALS=1000 npm test -- test/read-your-writes.test.ts` for the long run.
const TRIALS = inject("soak").rywTrials;
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
    const { id: sessionId } = await sessionFor(email, "RYW API");
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
