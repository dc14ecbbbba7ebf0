// Request parsing and reply shaping for the Neon protocols, without a database.
import { describe, expect, it } from "vitest";
import {
  beginStatement,
  errorJson,
  localConnectionString,
  parseAddress,
  parseSqlBody,
  resultJson,
} from "./neon-protocol.ts";

describe("parseAddress", () => {
  it("accepts loopback host:port, bracketed IPv6 included", () => {
    expect(parseAddress("127.0.0.1:54320")).toEqual({ host: "127.0.0.1", port: 54320 });
    expect(parseAddress("localhost:5432")).toEqual({ host: "localhost", port: 5432 });
    expect(parseAddress("[::1]:5432")).toEqual({ host: "::1", port: 5432 });
  });
  it("rejects other hosts, bad ports and garbage", () => {
    for (const a of [
      "10.0.0.1:5432",
      "example.com:5432",
      "127.0.0.1",
      "127.0.0.1:0",
      "127.0.0.1:99999",
      null,
    ]) {
      expect(parseAddress(a)).toBeUndefined();
    }
  });
});

describe("localConnectionString", () => {
  it("strips TLS settings the local server cannot honour", () => {
    const out = localConnectionString(
      "postgresql://u:p@127.0.0.1:5432/db?sslmode=require&application_name=x",
    );
    expect(out).toBe("postgresql://u:p@127.0.0.1:5432/db?application_name=x");
  });
  it("refuses remote hosts and non-postgres URLs", () => {
    expect(() => localConnectionString("postgresql://u:p@db.example.com/db")).toThrow(/non-loopback/);
    expect(() => localConnectionString("http://127.0.0.1/db")).toThrow(/postgres:\/\//);
    expect(() => localConnectionString(undefined)).toThrow(/missing/);
  });
});

describe("parseSqlBody", () => {
  it("reads single queries and batches, defaulting params", () => {
    expect(parseSqlBody('{"query":"select $1","params":["1"]}')).toEqual({
      single: { query: "select $1", params: ["1"] },
    });
    expect(parseSqlBody('{"queries":[{"query":"select 1"}]}')).toEqual({
      batch: [{ query: "select 1", params: [] }],
    });
  });
  it("rejects malformed bodies", () => {
    for (const b of ["nope", "{}", '{"query":1}', '{"query":"x","params":"y"}', '{"queries":{}}']) {
      expect(() => parseSqlBody(b)).toThrow();
    }
  });
});

describe("beginStatement", () => {
  it("maps the driver's batch options to SQL", () => {
    expect(beginStatement({})).toBe("BEGIN");
    expect(beginStatement({ isolation: "RepeatableRead", readOnly: "true", deferrable: "false" })).toBe(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY NOT DEFERRABLE",
    );
    expect(() => beginStatement({ isolation: "Snapshot; drop table x" })).toThrow(/unknown/);
  });
});

describe("resultJson / errorJson", () => {
  const fields = [
    {
      name: "id",
      tableID: 1,
      columnID: 1,
      dataTypeID: 23,
      dataTypeSize: 4,
      dataTypeModifier: -1,
      format: "text",
    },
  ];
  it("keeps rows as arrays in array mode and keys them by column otherwise", () => {
    const r = { command: "SELECT", rowCount: 1, rows: [["7"]], fields };
    expect(resultJson(r, true)).toEqual({
      command: "SELECT",
      rowCount: 1,
      rows: [["7"]],
      fields,
      rowAsArray: true,
    });
    expect(resultJson(r, false).rows).toEqual([{ id: "7" }]);
  });
  it("copies Postgres error fields and nothing else", () => {
    const err = Object.assign(new Error("duplicate key"), {
      code: "23505",
      detail: "Key (x)=(1)",
      stack: "s",
    });
    expect(errorJson(err)).toEqual({ message: "duplicate key", code: "23505", detail: "Key (x)=(1)" });
    expect(errorJson("boom")).toEqual({ message: "boom" });
  });
});
