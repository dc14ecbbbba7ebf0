import { drizzle } from "drizzle-orm/pg-proxy";
import { describe, expect, it } from "vitest";
import { deleteFlag, putFlag, putRow, putSegment } from "./repo.ts";

/** Captures the SQL a call sends; `returned` rows make it look written (1) or refused (0). */
function capturingDb(returned = 1) {
  const queries: { sql: string; params: unknown[] }[] = [];
  const db = drizzle(async (sql, params) => {
    queries.push({ sql: sql.replace(/\s+/g, " ").trim(), params });
    return { rows: Array.from({ length: returned }, () => ({ id: 1 })) };
  });
  return { db, queries };
}

describe("putRow", () => {
  it("writes the flag and its audit row in one statement", async () => {
    const { db, queries } = capturingDb();
    expect(await putFlag(db, "checkout", { state: "on" }, "alice")).toBe(true);
    expect(queries).toHaveLength(1);
    const q = queries[0];
    expect(q?.sql).toMatch(
      /^WITH prev AS \(SELECT doc FROM flags WHERE key = \$1\), up AS \( INSERT INTO flags/,
    );
    expect(q?.sql).toContain("ON CONFLICT (key) DO UPDATE SET doc = excluded.doc");
    expect(q?.sql).toMatch(
      /INSERT INTO flag_audit \(key, actor, before, after\) SELECT up\.key, .* FROM up RETURNING id$/,
    );
    expect(q?.sql).not.toContain("WHERE flags.doc");
    expect(q?.params).toContain('{"state":"on"}');
  });

  it("guards conditional writes and reports when they did not apply", async () => {
    const created = capturingDb(0);
    expect(await putRow(created.db, "checkout", { state: "on" }, "a", null)).toBe(false);
    expect(created.queries[0]?.sql).toContain("ON CONFLICT (key) DO NOTHING");
    const edited = capturingDb(1);
    expect(await putRow(edited.db, "checkout", { state: "off" }, "a", { state: "on" })).toBe(true);
    expect(edited.queries[0]?.sql).toContain("WHERE EXISTS (SELECT 1 FROM prev)");
    expect(edited.queries[0]?.sql).toMatch(/WHERE flags\.doc = \$\d+::jsonb/);
  });

  it("validates before touching the database", async () => {
    const { db, queries } = capturingDb();
    await expect(putFlag(db, "checkout", { state: "maybe" }, "a")).rejects.toMatchObject({ status: 400 });
    await expect(putFlag(db, "segment:x", { state: "on" }, "a")).rejects.toMatchObject({ status: 400 });
    await expect(putSegment(db, "staff", { conditions: "tags" }, "a")).rejects.toMatchObject({ status: 400 });
    await expect(deleteFlag(db, "Not A Key", "a")).rejects.toMatchObject({ status: 400 });
    expect(queries).toHaveLength(0);
  });

  it("deletes with an audit row (after = NULL) in one statement", async () => {
    const { db, queries } = capturingDb();
    expect(await deleteFlag(db, "checkout", "bob")).toBe(true);
    expect(queries[0]?.sql).toBe(
      "WITH gone AS (DELETE FROM flags WHERE key = $1 RETURNING key, doc) INSERT INTO flag_audit (key, actor, before, after) SELECT gone.key, $2, gone.doc, NULL FROM gone RETURNING id",
    );
    expect(queries[0]?.params).toEqual(["checkout", "bob"]);
  });
});
