import { describe, expect, it } from "vitest";
import type { QueryLogEntry } from "./accounting.ts";
import { assertQueries } from "./assert-queries.ts";

const log: QueryLogEntry[] = [
  { pool: "replica0", kind: "replica", sql: ["select * from events"], ms: 1, ok: true },
  {
    pool: "primary",
    kind: "primary",
    sql: ["insert into comments", "select pg_current_wal_lsn()"],
    ms: 2,
    ok: true,
  },
  { pool: "replica1", kind: "replica", sql: ["select * from talks"], ms: 1, ok: false, error: "timeout" },
];

describe("assertQueries", () => {
  it("passes within the limits", () => {
    assertQueries(log, { max: 4 });
    assertQueries(log, { max: 2, min: 2, on: "replica", roundTrips: 2 });
    assertQueries(log, { max: 2, on: "primary", roundTrips: 1 });
    assertQueries([], { max: 0 });
  });

  it("fails listing every query when there are too many", () => {
    expect(() => assertQueries(log, { max: 3 })).toThrow(/4 statements on any, at most 3/);
    try {
      assertQueries(log, { max: 0, on: "primary" });
      expect.unreachable();
    } catch (error) {
      const message = String(error);
      expect(message).toContain("#1 replica0 (replica)");
      expect(message).toContain("select pg_current_wal_lsn()");
      expect(message).toContain("FAILED: timeout");
    }
  });

  it("checks round trips and minimums", () => {
    expect(() => assertQueries(log, { max: 9, on: "replica", roundTrips: 1 })).toThrow(
      /2 round trips on replica/,
    );
    expect(() => assertQueries(log, { max: 9, min: 1, on: "named" })).toThrow(/at least 1 expected/);
  });
});
