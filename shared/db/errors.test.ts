import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import {
  DatabaseTimeoutError,
  DatabaseUnavailable,
  isConnectionFailure,
  isOutage,
  isReadOnlyViolation,
  mapDbError,
  sqlState,
} from "./errors.ts";

const pg = (code: string, message = "boom") => Object.assign(new Error(message), { code });
const status = (e: unknown) => (e instanceof HTTPException ? e.status : null);

describe("database error mapping", () => {
  it("turns SQLSTATE 25006 into a 503 with Retry-After", async () => {
    const mapped = mapDbError(pg("25006", "cannot execute INSERT in a read-only transaction"));
    expect(mapped).toBeInstanceOf(HTTPException);
    const res = (mapped as HTTPException).getResponse();
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("60");
    expect(await res.text()).toMatch(/read-only mode/);
  });

  it("finds the code through drizzle's wrapper", () => {
    const wrapped = new Error("Failed query: insert …", { cause: { code: "25006" } });
    expect(sqlState(wrapped)).toBe("25006");
    expect(isReadOnlyViolation(wrapped)).toBe(true);
  });

  it("answers bad input with 4xx and never repeats the driver's message (it carries SQL)", () => {
    for (const code of ["22P02", "22003", "22021", "22001"]) {
      const mapped = mapDbError(new Error("Failed query: select … params: 2147483648", { cause: pg(code) }));
      expect(status(mapped)).toBe(400);
      expect((mapped as HTTPException).message).not.toMatch(/select|2147483648/);
    }
    expect(status(mapDbError(pg("23503")))).toBe(404);
    expect(status(mapDbError(pg("23505")))).toBe(409);
  });

  it("answers an unreachable or stuck database with a 503 that says to retry", () => {
    for (const e of [
      new DatabaseTimeoutError("primary", 2000),
      new Error("Failed query", { cause: new DatabaseTimeoutError("replica0", 800) }),
      new Error("Error connecting to database: TypeError: fetch failed"),
      pg("57014"),
    ]) {
      const mapped = mapDbError(e);
      expect(mapped).toBeInstanceOf(DatabaseUnavailable);
      expect((mapped as DatabaseUnavailable).retryAfter).toBeGreaterThan(0);
    }
  });

  it("leaves errors with no HTTP meaning alone (they become the safe 500)", () => {
    const syntax = pg("42601");
    expect(mapDbError(syntax)).toBe(syntax);
    expect(mapDbError("text")).toBe("text");
    expect(isReadOnlyViolation(null)).toBe(false);
  });
});

describe("isConnectionFailure", () => {
  it("treats 'could not reach the database' as a failure and Postgres' own answers as results", () => {
    expect(isConnectionFailure(new Error("fetch failed"))).toBe(true);
    expect(isConnectionFailure({ code: "ECONNREFUSED" })).toBe(true);
    expect(isConnectionFailure({ code: "08006" })).toBe(true);
    expect(isConnectionFailure({ code: "57P01" })).toBe(true);
    expect(isConnectionFailure(new DatabaseTimeoutError("replica0", 5))).toBe(true);
    expect(isConnectionFailure({ code: "42P01" })).toBe(false);
    expect(isConnectionFailure({ cause: { code: "23505" } })).toBe(false);
  });
});

describe("isOutage", () => {
  it("is true only when the database did not answer, never for an answer from Postgres", () => {
    expect(isOutage(new DatabaseTimeoutError("primary", 2000))).toBe(true);
    expect(isOutage(new Error("Failed query", { cause: new DatabaseTimeoutError("primary", 5) }))).toBe(true);
    expect(isOutage(new Error("Error connecting to database: fetch failed"))).toBe(true);
    expect(isOutage({ code: "ECONNREFUSED" })).toBe(true);
    expect(isOutage({ code: "08006" })).toBe(true);
    expect(isOutage({ code: "57P01" })).toBe(true);
    expect(isOutage(pg("25006"))).toBe(false);
    expect(isOutage(pg("23505"))).toBe(false);
    expect(isOutage(new TypeError("x is undefined"))).toBe(false);
  });
});
