import { drizzle } from "drizzle-orm/pg-proxy";
import { describe, expect, it } from "vitest";
import { createFlags, type EvaluatedFlags } from "../flags/index.ts";
import { exposureCollector, exposureRows, MAX_EXPOSURES_PER_BATCH, recordExposures } from "./exposures.ts";

function capturingDb(fail = false) {
  const queries: { sql: string; params: unknown[] }[] = [];
  const db = drizzle(async (sql, params) => {
    queries.push({ sql, params });
    if (fail) throw new Error("db down");
    return { rows: [] };
  });
  return { db, queries };
}

describe("exposureRows", () => {
  it("drops rows without a subject and keeps the first variant per flag and subject", () => {
    expect(
      exposureRows([
        { flag: "hero", variant: "bold", subject: "u1" },
        { flag: "hero", variant: "control", subject: "u1" },
        { flag: "hero", variant: "bold", subject: null },
        { flag: "hero", variant: "bold", subject: "" },
        { flag: "cta", variant: "a", subject: "u1" },
        { flag: "hero", variant: "x".repeat(65), subject: "u2" },
      ]),
    ).toEqual([
      { flag: "hero", variant: "bold", subject: "u1" },
      { flag: "cta", variant: "a", subject: "u1" },
    ]);
  });

  it("caps one batch", () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ flag: `f${i}`, variant: "a", subject: "u" }));
    expect(exposureRows(many)).toHaveLength(MAX_EXPOSURES_PER_BATCH);
  });
});

describe("recordExposures", () => {
  it("sends one INSERT … ON CONFLICT DO NOTHING for the whole batch", async () => {
    const { db, queries } = capturingDb();
    const sent = await recordExposures(db, [
      { flag: "hero", variant: "bold", subject: "u1" },
      { flag: "hero", variant: "bold", subject: "u2" },
    ]);
    expect(sent).toBe(2);
    expect(queries).toHaveLength(1);
    expect(queries[0]?.sql).toMatch(
      /^insert into "exposures" .* on conflict \("flag","subject"\) do nothing$/,
    );
    expect(queries[0]?.params).toEqual(["hero", "bold", "u1", "hero", "bold", "u2"]);
  });

  it("sends nothing for nothing, and never rejects when the database fails", async () => {
    const { db, queries } = capturingDb(true);
    expect(await recordExposures(db, [{ flag: "hero", variant: "a", subject: null }])).toBe(0);
    expect(queries).toHaveLength(0);
    expect(await recordExposures(db, [{ flag: "hero", variant: "a", subject: "u1" }])).toBe(0);
    expect(queries).toHaveLength(1);
  });

  it("collects what createFlags reports, once per experiment and request", () => {
    const evaluated: EvaluatedFlags = {
      version: "v1",
      results: [{ key: "hero", value: true, variant: "bold", reason: "SPLIT" }],
      index: new Map([["hero", 0]]),
      subject: "u1",
    };
    const sink = exposureCollector();
    const flags = createFlags(evaluated, sink.add);
    flags.variant("hero");
    flags.variant("hero");
    expect(exposureRows(sink.rows)).toEqual([{ flag: "hero", variant: "bold", subject: "u1" }]);
  });
});
