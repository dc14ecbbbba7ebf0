// migrate() and seed() against a real PostgreSQL: applies, is idempotent, waits politely for locks.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate as drizzleMigrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionKey } from "../../shared/identity/index.ts";
import { backfillCityBatch } from "../../shared/jobs/examples/index.ts";
import { MigrationError, migrate } from "./migrate.ts";
import { seed } from "./seed.ts";
import { startTestPostgres, type TestPostgres } from "./test-postgres.ts";

let server: TestPostgres;
let dbCount = 0;
const tmpDirs: string[] = [];
const TAGS = (
  JSON.parse(readFileSync("migrations/meta/_journal.json", "utf8")) as { entries: { tag: string }[] }
).entries.map((e) => e.tag);

async function freshDb(): Promise<string> {
  const name = `t${++dbCount}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return server.url.replace(/\/postgres$/, `/${name}`);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The project's migrations plus extra ones, in a temp folder with a matching journal. */
function folderWith(extra: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "edgeplate-mig-"));
  tmpDirs.push(dir);
  cpSync("migrations", dir, { recursive: true });
  const journalPath = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
    entries: { idx: number; when: number; tag: string }[];
  };
  for (const [tag, sql] of Object.entries(extra)) {
    const last = journal.entries[journal.entries.length - 1];
    journal.entries.push({
      ...(last ?? { idx: -1, when: 0, tag }),
      idx: (last?.idx ?? -1) + 1,
      when: (last?.when ?? 0) + 1,
      tag,
    });
    writeFileSync(join(dir, `${tag}.sql`), sql);
  }
  writeFileSync(journalPath, JSON.stringify(journal, null, 2));
  return dir;
}

beforeAll(async () => {
  server = await startTestPostgres();
}, 30_000);

afterAll(async () => {
  await server?.stop();
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe("migrate + seed", () => {
  it("applies every migration once, agrees with drizzle's migrator, and seeds idempotently", async () => {
    const url = await freshDb();
    const lines: string[] = [];
    const first = await migrate(url, { log: (l) => lines.push(l) });
    expect(first.applied).toEqual(TAGS);
    expect(lines).toEqual(
      TAGS.map((t) =>
        expect.stringMatching(
          new RegExp(`^applying ${t} (\\(outside a transaction\\) )?… ok \\(\\d+ ms\\)$`),
        ),
      ),
    );

    const again: string[] = [];
    expect(await migrate(url, { log: (l) => again.push(l) })).toEqual({
      applied: [],
      alreadyApplied: TAGS.length,
    });
    expect(again).toEqual([`nothing to migrate (${TAGS.length} applied)`]);

    await withClient(url, async (c) => {
      // drizzle-kit migrate reads the same table: it must find nothing to do either.
      await drizzleMigrate(drizzle(c), { migrationsFolder: "migrations" });
      const { rows } = await c.query("SELECT hash, created_at FROM drizzle.__drizzle_migrations");
      expect(rows).toHaveLength(TAGS.length);
      const col = await c.query(
        "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'city'",
      );
      expect(col.rows).toEqual([{ is_nullable: "NO" }]);
    });

    // A database that is not the local stack's gets no dev sessions; the local stack's does, once.
    expect(await seed(url, { devSessions: false })).toEqual({
      inserted: { events: 3, talks: 12, topics: 8, users: 3, sessions: 0 },
    });
    expect(await seed(url, { devSessions: true })).toEqual({
      inserted: { events: 0, talks: 0, topics: 0, users: 0, sessions: 3 },
    });
    expect(await seed(url, { devSessions: true })).toEqual({
      inserted: { events: 0, talks: 0, topics: 0, users: 0, sessions: 0 },
    });
    // Stored as the id's hash, marked as a dev session.
    const ada = await withClient(url, async (c) =>
      c.query(
        "SELECT u.email, u.tags FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.dev AND s.expires_at > now()",
        [await sessionKey("dev-session-ada")],
      ),
    );
    expect(ada.rows).toEqual([{ email: "ada@example.com", tags: ["staff"] }]);
  });

  it("walks the expand → backfill → enforce sequence for events.city", async () => {
    const url = await freshDb();
    await migrate(url, { to: "0001_events_city_expand", log: () => {} });
    await withClient(url, async (c) => {
      await c.query(
        `INSERT INTO events (slug, name, venue, starts_at) SELECT 'e' || i, 'E' || i,
           CASE WHEN i % 2 = 0 THEN 'Hall ' || i || ', Porto' ELSE 'Somewhere' END, now() FROM generate_series(1, 5) i`,
      );
      // NOT VALID: existing NULLs are tolerated, new ones are refused.
      await migrate(url, { to: "0002_events_city_check_not_valid", log: () => {} });
      await expect(
        c.query("INSERT INTO events (slug, name, venue, starts_at) VALUES ('x', 'X', 'Y', now())"),
      ).rejects.toMatchObject({ code: "23514" });
      const db = drizzle(c);
      let lastId = 0;
      let batches = 0;
      for (;;) {
        const { rows } = await db.execute<{ last_id: number | null; updated: number }>(
          backfillCityBatch(lastId, 2),
        );
        const next = rows[0]?.last_id;
        if (next === null || next === undefined) break;
        lastId = next;
        batches++;
      }
      expect(batches).toBe(3);
      const { rows } = await c.query("SELECT city FROM events ORDER BY id");
      expect(rows.map((r) => r.city)).toEqual(["TBA", "Porto", "TBA", "Porto", "TBA"]);
    });
    const enforce = await migrate(url, { to: "0003_events_city_enforce", log: () => {} });
    expect(enforce.applied).toEqual(["0003_events_city_enforce"]);
  });
});

describe("locks and CONCURRENTLY", () => {
  it("retries while a lock is held, fails clearly, and succeeds once the lock is released", async () => {
    const url = await freshDb();
    await migrate(url, { log: () => {} });
    const folder = folderWith({ "0004_events_note": 'ALTER TABLE "events" ADD COLUMN "note" text;' });
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    await blocker.query("BEGIN; LOCK TABLE events IN ACCESS EXCLUSIVE MODE");

    const lines: string[] = [];
    const opts = {
      migrationsFolder: folder,
      lockTimeoutMs: 100,
      retries: 2,
      backoffMs: 50,
      log: (l: string) => lines.push(l),
    };
    const failure = await migrate(url, opts).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure).toMatchObject({ migration: "0004_events_note", sqlState: "55P03" });
    expect(String(failure)).toMatch(
      /migration 0004_events_note failed: .*lock timeout.*gave up after 3 attempts/,
    );
    expect(lines.filter((l) => l.includes("lock not available"))).toHaveLength(2);

    // Released during the backoff, as soon as an attempt has failed: the next one gets through.
    let released = false;
    const release = (l: string) => {
      if (released || !l.includes("lock not available")) return;
      released = true;
      void blocker.query("COMMIT");
    };
    const ok = await migrate(url, { ...opts, retries: 6, log: release });
    expect(released).toBe(true);
    expect(ok.applied).toEqual(["0004_events_note"]);
    await blocker.end();
  });

  it("warns about unsafe pending migrations, judging volatility by the database's own catalog", async () => {
    const url = await freshDb();
    await migrate(url, { log: () => {} });
    // Made by hand, so no migration declares it: only pg_proc knows it is volatile (the default).
    await withClient(url, (c) =>
      c.query("CREATE FUNCTION make_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$"),
    );
    const folder = folderWith({
      "0004_events_code": 'ALTER TABLE "events" ADD COLUMN "code" text DEFAULT make_code();',
    });
    const lines: string[] = [];
    expect((await migrate(url, { migrationsFolder: folder, log: (l) => lines.push(l) })).applied).toEqual([
      "0004_events_code",
    ]);
    expect(lines).toEqual([
      expect.stringMatching(
        /^warning: 0004_events_code\.sql:1 \[volatile-default\] .*make_code\(\) is volatile \(per pg_proc\.provolatile in postgres:\/\/postgres:\*\*\*@/,
      ),
      expect.stringMatching(/^applying 0004_events_code … ok/),
    ]);
  });

  it("runs CREATE INDEX CONCURRENTLY outside a transaction and rebuilds an invalid leftover", async () => {
    const url = await freshDb();
    await migrate(url, { log: () => {} });
    await seed(url, { devSessions: true });
    await withClient(url, async (c) => {
      // A failed concurrent build (duplicate cities) leaves an INVALID index of the same name behind.
      await c.query("UPDATE events SET city = 'Berlin'");
      await expect(
        c.query('CREATE UNIQUE INDEX CONCURRENTLY "events_city_idx" ON events (city)'),
      ).rejects.toThrow();
    });
    const folder = folderWith({
      "0004_events_city_idx":
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS "events_city_idx" ON "events" ("city");',
    });
    const lines: string[] = [];
    expect((await migrate(url, { migrationsFolder: folder, log: (l) => lines.push(l) })).applied).toEqual([
      "0004_events_city_idx",
    ]);
    expect(lines).toEqual([
      expect.stringMatching(/^applying 0004_events_city_idx \(outside a transaction\) … ok/),
    ]);
    const idx = await withClient(url, (c) =>
      c.query(
        "SELECT i.indisvalid, i.indisunique FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'events_city_idx'",
      ),
    );
    expect(idx.rows).toEqual([{ indisvalid: true, indisunique: false }]);
  });
});
