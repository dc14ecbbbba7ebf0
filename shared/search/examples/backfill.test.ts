// The search-document backfill: keyset-paginated, parameterised, only rows without a document, bounded batches.
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { backfillSearchBatch } from "./backfill.ts";

const render = (...a: Parameters<typeof backfillSearchBatch>) =>
  new PgDialect().sqlToQuery(backfillSearchBatch(...a));

describe("backfillSearchBatch", () => {
  it("pages by id after lastId and fills only rows without a document, with the triggers' function", () => {
    const q = render("talks", 120, 500);
    expect(q.params).toEqual([120, 500]);
    expect(q.sql).toContain('SELECT id FROM "talks" WHERE id > $1 ORDER BY id LIMIT $2');
    expect(q.sql).toContain("x.search_vector IS NULL");
    expect(q.sql).toContain("talk_search_document(");
    expect(render("events", 0, 10).sql).toContain("event_search_document(");
  });

  it("rejects negative, fractional or unbounded batches", () => {
    expect(() => render("events", -1, 10)).toThrow(RangeError);
    expect(() => render("events", 0, 0)).toThrow(RangeError);
    expect(() => render("events", 0, 50_000)).toThrow(RangeError);
  });
});
