import type { PoolClient } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";
import { QueryLog } from "./accounting.ts";
import { instrumentPgClient, mayWrite } from "./instrument.ts";

describe("mayWrite", () => {
  it("treats plain reads and transaction control as reads", () => {
    for (const sql of [
      "select 1",
      "  SELECT * from t",
      "(select 1) union (select 2)",
      "show x",
      "begin read only",
    ]) {
      expect(mayWrite(sql)).toBe(false);
    }
    expect(mayWrite("with a as (select 1) select * from a")).toBe(false);
  });

  it("treats everything else, including writing CTEs, as a write", () => {
    for (const sql of ["insert into t values (1)", "update t set a = 1", "delete from t", "truncate t"]) {
      expect(mayWrite(sql)).toBe(true);
    }
    expect(mayWrite("with a as (insert into t values (1) returning *) select * from a")).toBe(true);
  });
});

describe("instrumentPgClient", () => {
  function fakeClient() {
    const seen: unknown[][] = [];
    const client = {
      query: async (...args: unknown[]) => {
        seen.push(args);
        const last = args[args.length - 1];
        if (typeof last === "function") last(null, { rows: ["cb"] });
        return { rows: [[1]] };
      },
    };
    return { client: client as unknown as PoolClient, seen };
  }

  it("times each statement as one round trip and returns the driver's result", async () => {
    const { client, seen } = fakeClient();
    const log = new QueryLog();
    const ends: string[] = [];
    instrumentPgClient(client, {
      pool: "primary",
      kind: "primary",
      log,
      onWrite: () => {
        ends.push("start");
        return () => ends.push("end");
      },
    });
    const result = await client.query({ text: "update t set a = 1", rowMode: "array" }, [1]);
    expect(result.rows).toEqual([[1]]);
    await client.query("select 1");
    expect(seen).toEqual([[{ text: "update t set a = 1", rowMode: "array" }, [1]], ["select 1"]]);
    expect(log.entries.map((e) => [e.pool, e.sql])).toEqual([
      ["primary", ["update t set a = 1"]],
      ["primary", ["select 1"]],
    ]);
    expect(ends).toEqual(["start", "end"]);
  });

  it("passes callback-style calls through untouched", () => {
    const { client, seen } = fakeClient();
    const log = new QueryLog();
    instrumentPgClient(client, { pool: "primary", kind: "primary", log });
    const results: unknown[] = [];
    client.query("select 1", [], (_err: Error | undefined, res: unknown) => void results.push(res));
    expect(seen).toHaveLength(1);
    expect(results).toEqual([{ rows: ["cb"] }]);
    expect(log.entries).toHaveLength(0);
  });
});
