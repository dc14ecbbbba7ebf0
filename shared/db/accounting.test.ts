import { describe, expect, it } from "vitest";
import { setLogSink } from "../log/index.ts";
import { decodeQueryLog, encodeQueryLog, QueryLog } from "./accounting.ts";

function clock(...times: number[]): () => number {
  let i = 0;
  return () => times[i++] ?? 0;
}

describe("QueryLog", () => {
  it("counts a batch as one round trip with several statements", async () => {
    const log = new QueryLog({ now: clock(0, 3.2, 10, 11) });
    await log.time("primary", "primary", ["insert 1", "select 2"], async () => "ok");
    await log.time("replica0", "replica", ["select 3"], async () => "ok");
    expect(log.summary()).toEqual([
      { pool: "primary", kind: "primary", roundTrips: 1, statements: 2, ms: 3.2 },
      { pool: "replica0", kind: "replica", roundTrips: 1, statements: 1, ms: 1 },
    ]);
  });

  it("builds a Server-Timing value per pool", async () => {
    const log = new QueryLog({ now: clock(0, 1.5, 2, 3.75, 4, 5) });
    await log.time("primary", "primary", ["a"], async () => 1);
    await log.time("primary", "primary", ["b"], async () => 1);
    await log.time("replica0", "replica", ["c", "d"], async () => 1);
    expect(log.serverTiming()).toBe(
      'db-primary;dur=3.3;desc="2 queries", db-replica0;dur=1;desc="2 queries in 1 round trip"',
    );
    expect(new QueryLog().serverTiming()).toBe("");
  });

  it("records failures and rethrows them", async () => {
    const log = new QueryLog({ now: clock(0, 1) });
    await expect(
      log.time("primary", "primary", ["bad"], async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(log.entries[0]).toMatchObject({ ok: false, error: "boom", sql: ["bad"] });
  });

  it("logs slow round trips as one line through the logger", async () => {
    const lines: string[] = [];
    const restore = setLogSink((_level, line) => lines.push(line));
    const log = new QueryLog({ slowMs: 200, now: clock(0, 199, 0, 250) });
    await log.time("primary", "primary", ["fast"], async () => 1);
    await log.time("reporting", "named", ["slow"], async () => 1);
    restore();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
      level: "warn",
      msg: "slow query",
      pool: "reporting",
      ms: 250,
    });
  });

  it("round-trips the X-Query-Log header, including non-ASCII SQL", () => {
    const entries = [
      { pool: "primary", kind: "primary" as const, sql: ["select 'café' — 1"], ms: 1.25, ok: true },
    ];
    const header = encodeQueryLog(entries);
    expect(header).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(decodeQueryLog(header)).toEqual([{ ...entries[0], ms: 1.3 }]);
    expect(decodeQueryLog(null)).toEqual([]);
  });

  it("clips very long SQL in the header", () => {
    const header = encodeQueryLog([{ pool: "p", kind: "primary", sql: ["x".repeat(5000)], ms: 0, ok: true }]);
    expect(decodeQueryLog(header)[0]?.sql[0]).toHaveLength(400);
  });
});
