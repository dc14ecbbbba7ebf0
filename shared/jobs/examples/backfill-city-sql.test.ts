// The backfill batch is keyset-paginated, parameterised, and refuses nonsense bounds.
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { backfillCityBatch } from "./backfill-city-sql.ts";

const render = (lastId: number, size: number) => new PgDialect().sqlToQuery(backfillCityBatch(lastId, size));

describe("backfillCityBatch", () => {
  it("pages by id after lastId, passes bounds as parameters, only fills NULL cities", () => {
    const q = render(120, 500);
    expect(q.params).toEqual([120, 500]);
    expect(q.sql).toContain("WHERE id > $1 ORDER BY id LIMIT $2");
    expect(q.sql).toContain("e.city IS NULL");
    expect(q.sql).toMatch(/AS last_id, .* AS updated$/);
  });

  it("rejects negative, fractional or unbounded batches", () => {
    expect(() => render(-1, 10)).toThrow(RangeError);
    expect(() => render(0, 0)).toThrow(RangeError);
    expect(() => render(0, 1.5)).toThrow(RangeError);
    expect(() => render(0, 50_000)).toThrow(RangeError);
  });
});
