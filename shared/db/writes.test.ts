import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-http";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeHandler, installFakeNeon } from "../testing/index.ts";
import { QueryLog } from "./accounting.ts";
import { createDb } from "./client.ts";
import { events, talks } from "./schema.ts";
import { increment, updateIfVersion } from "./writes.ts";

let restore = () => {};
afterEach(() => restore());

function primaryWith(handler: FakeHandler) {
  const fake = installFakeNeon(handler);
  restore = fake.restore;
  const db = createDb({
    primaryUrl: "postgres://u:p@primary.db.test/app",
    replicaUrls: [],
    health: { replicas: () => [] },
    accounting: new QueryLog(),
    ctx: { waitUntil: () => {} },
  });
  return { db: db.primary, calls: fake.calls };
}

describe("increment", () => {
  it("lets Postgres add, instead of writing back a value read earlier", () => {
    const query = drizzle
      .mock()
      .update(events)
      .set({ registrationsCount: increment(events.registrationsCount) })
      .where(eq(events.id, 3))
      .toSQL();
    expect(query.sql).toBe(
      'update "events" set "registrations_count" = "events"."registrations_count" + $1 where "events"."id" = $2',
    );
    expect(query.params).toEqual([1, 3]);
    expect(
      drizzle
        .mock()
        .update(talks)
        .set({ views: increment(talks.views, 25) })
        .toSQL().params,
    ).toEqual([25]);
  });
});

describe("updateIfVersion", () => {
  it("updates and bumps the version when the expected version matches", async () => {
    const { db, calls } = primaryWith(() => ({ fields: ["version"], rows: [["4"]] }));
    const result = await updateIfVersion(db, events, 9, 3, { name: "New name" });
    expect(result).toEqual({ ok: true, version: 4 });
    expect(calls).toHaveLength(1);
    const q = calls[0]?.queries[0];
    expect(q?.query).toBe(
      'update "events" set "name" = $1, "version" = "events"."version" + $2 ' +
        'where ("events"."id" = $3 and "events"."version" = $4) returning "version"',
    );
    // The HTTP driver sends parameters as text.
    expect(q?.params).toEqual(["New name", "1", "9", "3"]);
  });

  it("returns the current row on a conflict, or null when it is gone", async () => {
    // Array mode: values map to the table's columns by position (id, slug, name, …).
    const row = (id: string) => ({ fields: ["id", "slug", "name"], rows: [[id, "the-slug", "Theirs"]] });
    const { db, calls } = primaryWith((_host, q) =>
      q.query.startsWith("update") ? { fields: [], rows: [] } : row("9"),
    );
    const result = await updateIfVersion(db, events, 9, 3, { name: "Mine" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.current).toMatchObject({ id: 9, name: "Theirs" });
    expect(calls[1]?.queries[0]?.query).toMatch(
      /^select .* from "events" where "events"."id" = \$1 limit \$2$/,
    );

    restore();
    const gone = primaryWith(() => ({ fields: [], rows: [] }));
    expect(await updateIfVersion(gone.db, events, 9, 3, { name: "Mine" })).toEqual({
      ok: false,
      current: null,
    });
  });
});
