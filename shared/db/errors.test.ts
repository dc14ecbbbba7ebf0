import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { isReadOnlyViolation, mapDbError, sqlState } from "./errors.ts";

describe("database error mapping", () => {
  it("turns SQLSTATE 25006 into a 503 with Retry-After", async () => {
    const pgError = Object.assign(new Error("cannot execute INSERT in a read-only transaction"), {
      code: "25006",
    });
    const mapped = mapDbError(pgError);
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

  it("leaves other errors alone", () => {
    const unique = Object.assign(new Error("duplicate key"), { code: "23505" });
    expect(mapDbError(unique)).toBe(unique);
    expect(mapDbError("text")).toBe("text");
    expect(isReadOnlyViolation(null)).toBe(false);
  });
});
