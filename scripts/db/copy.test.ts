// copyDatabase() between two real databases: every row and value as written, sequences carried on.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyDatabase } from "./copy.ts";
import { migrate } from "./migrate.ts";
import { seed } from "./seed.ts";
import { startTestPostgres, type TestPostgres } from "./test-postgres.ts";

let server: TestPostgres;
const urlOf = (db: string) => server.url.replace(/\/postgres$/, `/${db}`);
const quiet = () => {};

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  server = await startTestPostgres();
  await query(server.url, "CREATE DATABASE source");
  await migrate(urlOf("source"), { log: quiet });
  await seed(urlOf("source"), { devSessions: true });
  // Values JavaScript would bend: microseconds, an array, a big identity.
  await query(urlOf("source"), "UPDATE users SET created_at = '2026-01-02 03:04:05.123456+00' WHERE id = 1");
}, 60_000);
afterAll(() => server?.stop());

describe("copyDatabase", () => {
  it("copies every table's rows exactly, in foreign-key order, into a database it creates", async () => {
    const result = await copyDatabase(urlOf("source"), urlOf("moved"), { create: true, log: quiet });
    expect(result.tables.find((t) => t.table === "public.talks")?.rows).toBeGreaterThan(0);
    const dump = (db: string) =>
      query<{ t: string }>(urlOf(db), "SELECT row_to_json(u)::text AS t FROM users u ORDER BY id");
    expect(await dump("moved")).toEqual(await dump("source"));
    const [stamp] = await query<{ t: string }>(
      urlOf("moved"),
      "SELECT created_at::text AS t FROM users WHERE id = 1",
    );
    expect(stamp?.t).toBe("2026-01-02 03:04:05.123456+00");
  });

  it("carries the sequences on, so the next insert does not collide", async () => {
    const [max] = await query<{ id: number }>(urlOf("moved"), "SELECT max(id)::int AS id FROM events");
    const [next] = await query<{ id: number }>(urlOf("moved"), "SELECT nextval('events_id_seq')::int AS id");
    expect(next?.id).toBeGreaterThan(max?.id ?? 0);
  });

  it("refuses to copy into a database that already has rows", async () => {
    await expect(copyDatabase(urlOf("source"), urlOf("moved"), { log: quiet })).rejects.toThrow(
      "already has rows",
    );
  });
});
