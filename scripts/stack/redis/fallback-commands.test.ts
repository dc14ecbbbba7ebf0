// Command checks and reply conversion for the fallback follow Redis's table and wire types.
import { describe, expect, it } from "vitest";
import {
  checkCommand,
  normalizeArgs,
  repliesWithStatus,
  toRespError,
  toRespValue,
} from "./fallback-commands.ts";
import { RespError, RespStatus } from "./resp.ts";

describe("fallback commands", () => {
  it("checks arity from Redis's command table: exact and at-least counts", () => {
    expect(checkCommand(["GET", "k"])).toBeNull();
    expect(checkCommand(["get", "k", "extra"])?.message).toBe(
      "ERR wrong number of arguments for 'get' command",
    );
    expect(checkCommand(["SET", "k"])?.message).toMatch(/wrong number/);
    expect(checkCommand(["SET", "k", "v", "PX", "5", "NX"])).toBeNull();
    expect(checkCommand(["PSUBSCRIBE", "c*"])?.message).toMatch(/not supported/);
  });

  it("knows which string replies are statuses", () => {
    expect(repliesWithStatus(["set", "k", "v"])).toBe(true);
    expect(repliesWithStatus(["set", "k", "v", "px", "5", "get"])).toBe(false);
    expect(repliesWithStatus(["SET", "k", "get"])).toBe(true);
    expect(repliesWithStatus(["PING"])).toBe(true);
    expect(repliesWithStatus(["PING", "x"])).toBe(false);
    expect(repliesWithStatus(["GET", "k"])).toBe(false);
  });

  it("upper-cases SET's options but never its key or value", () => {
    expect(normalizeArgs(["set", "nx", "px", "px", "10", "nx", "get"])).toEqual([
      "set",
      "nx",
      "px",
      "PX",
      "10",
      "NX",
      "GET",
    ]);
    const other = ["sadd", "s", "nx"];
    expect(normalizeArgs(other)).toBe(other);
  });

  it("turns ioredis-style replies into RESP values", () => {
    expect(toRespValue("OK", true)).toStrictEqual(new RespStatus("OK"));
    expect(toRespValue("OK")).toStrictEqual(Buffer.from("OK"));
    expect(toRespValue({ a: "1" })).toStrictEqual([Buffer.from("a"), Buffer.from("1")]);
    expect(toRespValue([1, null, false, true, [-2.5]])).toStrictEqual([1, null, null, 1, [-2]]);
    expect(toRespValue(undefined)).toBeNull();
    expect(toRespValue(Number.NaN)).toBeInstanceOf(RespError);
  });

  it("gives every error reply a code word", () => {
    expect(toRespError(new Error("WRONGTYPE Operation against a key")).message).toBe(
      "WRONGTYPE Operation against a key",
    );
    expect(toRespError(new TypeError("x is not a function\n  at y")).message).toBe(
      "ERR x is not a function at y",
    );
  });
});
