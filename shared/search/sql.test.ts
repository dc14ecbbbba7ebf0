// The SQL fragments bind every value as a parameter and combine the finished words with the prefix.
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { HIT_OPEN } from "./highlight.ts";
import { parseSearch, toTsQuery } from "./query.ts";
import { headlineSql, intArraySql, rankSql, tsquerySql } from "./sql.ts";

const render = (s: Parameters<PgDialect["sqlToQuery"]>[0]) => new PgDialect().sqlToQuery(s);
const cfg = { stem: "english", plain: "simple" };
const q = (raw: string, prefix: boolean) => tsquerySql(toTsQuery(parseSearch(raw), { prefix }), cfg);

describe("tsquerySql", () => {
  it("binds the configuration and the query text", () => {
    const query = q("grace mode", false);
    expect(query && render(query)).toMatchObject({
      sql: "to_tsquery($1::regconfig, $2)",
      params: ["english", "'grace' & 'mode'"],
    });
  });

  it("matches the unfinished word as a prefix under both configurations, AND the rest", () => {
    const query = q("edge cachi", true);
    expect(query && render(query)).toMatchObject({
      sql: "(to_tsquery($1::regconfig, $2) && (to_tsquery($3::regconfig, $4) || to_tsquery($5::regconfig, $6)))",
      params: ["english", "'edge'", "english", "'cachi':*", "simple", "'cachi':*"],
    });
  });

  it("is null when nothing is left to match", () => {
    expect(q("!!!", true)).toBeNull();
  });
});

describe("rank, headline, ids", () => {
  it("passes weights, options and ids as single parameters", () => {
    const r = render(rankSql(sql`v`, sql`q`));
    expect(r).toMatchObject({ sql: "ts_rank_cd($1::float4[], v, q, 1)", params: ["{0.1,0.2,0.4,1}"] });
    const h = render(headlineSql(cfg, sql`t`, sql`q`, { whole: true }));
    expect(h.params[1]).toContain(`StartSel=${HIT_OPEN}`);
    expect(render(intArraySql([3, 1, 2]))).toMatchObject({ sql: "$1::int[]", params: ["{3,1,2}"] });
    expect(() => intArraySql([1.5])).toThrow(TypeError);
  });
});
