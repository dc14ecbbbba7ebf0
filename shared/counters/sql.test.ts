// The flush statement: one UPDATE … FROM unnest(ids, counts), two parameters whatever the batch size.
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { talks } from "../db/index.ts";
import { addCountsSql } from "./sql.ts";

describe("addCountsSql", () => {
  it("renders a single parameterised UPDATE for the whole batch", () => {
    const query = addCountsSql(
      talks,
      talks.id,
      talks.views,
      new Map([
        ["12", 3],
        ["40", 1],
      ]),
    );
    if (!query) throw new Error("expected a statement");
    const { sql, params } = new PgDialect().sqlToQuery(query);
    expect(sql).toBe(
      'update "talks" set "views" = "talks"."views" + v.n from unnest($1::integer[], $2::bigint[]) as v(id, n) where "talks"."id" = v.id',
    );
    expect(params).toEqual([
      [12, 40],
      [3, 1],
    ]);
  });

  it("returns null for an empty batch and refuses non-numeric ids for integer keys", () => {
    expect(addCountsSql(talks, talks.id, talks.views, new Map())).toBeNull();
    expect(() => addCountsSql(talks, talks.id, talks.views, new Map([["abc", 1]]))).toThrow(/non-integer id/);
  });
});
