// The in-process emulation matches Redis on the commands edgeplate relies on (expiry, NX, hashes, RENAMENX, MULTI).
import { describe, expect, it } from "vitest";
import { MemoryRedis } from "./memory-redis.ts";
import { RespError, RespStatus, type RespValue } from "./resp.ts";

function setup() {
  let now = 1_000_000;
  const redis = new MemoryRedis(() => now);
  const run = (...args: string[]): unknown => plain(redis.exec(args));
  return { redis, run, advance: (ms: number) => (now += ms) };
}

function plain(value: RespValue): unknown {
  if (Buffer.isBuffer(value)) return value.toString();
  if (value instanceof RespStatus) return value.value;
  if (value instanceof RespError) return `error: ${value.message}`;
  return Array.isArray(value) ? value.map(plain) : value;
}

describe("MemoryRedis", () => {
  it("SET NX PX locks expire on time and TTLs follow Redis conventions", () => {
    const { run, advance } = setup();
    expect(run("SET", "lock", "a", "NX", "PX", "100")).toBe("OK");
    expect(run("SET", "lock", "b", "NX", "PX", "100")).toBeNull();
    expect(run("PTTL", "lock")).toBe(100);
    advance(100);
    expect(run("GET", "lock")).toBeNull();
    expect(run("TTL", "lock")).toBe(-2);
    expect(run("SET", "lock", "b", "XX")).toBeNull();
    run("SET", "k", "v");
    expect(run("TTL", "k")).toBe(-1);
  });

  it("INCR keeps the TTL; SET without KEEPTTL clears it", () => {
    const { run } = setup();
    run("SET", "n", "1", "EX", "10");
    expect(run("INCRBY", "n", "4")).toBe(5);
    expect(run("TTL", "n")).toBe(10);
    run("SET", "n", "1");
    expect(run("TTL", "n")).toBe(-1);
    expect(run("INCR", "nope-not-int")).toBe(1);
    run("SET", "s", "abc");
    expect(run("INCR", "s")).toBe("error: ERR value is not an integer or out of range");
  });

  it("hashes: HINCRBY, HGETALL, RENAMENX and HDEL removing the empty hash", () => {
    const { run } = setup();
    run("HINCRBY", "c", "7", "2");
    run("HINCRBY", "c", "7", "3");
    expect(run("HGETALL", "c")).toEqual(["7", "5"]);
    expect(run("RENAMENX", "c", "d")).toBe(1);
    expect(run("RENAME", "c", "e")).toBe("error: ERR no such key");
    expect(run("GET", "d")).toBe("error: WRONGTYPE Operation against a key holding the wrong kind of value");
    expect(run("HDEL", "d", "7")).toBe(1);
    expect(run("EXISTS", "d")).toBe(0);
  });

  it("validates arity, unknown commands and refuses Lua honestly", () => {
    const { run } = setup();
    expect(run("GET")).toBe("error: ERR wrong number of arguments for 'get' command");
    expect(run("FOO", "x")).toMatch(/unknown command 'FOO'/);
    expect(run("EVAL", "return 1", "0")).toMatch(/scripting is not supported/);
  });

  it("KEYS/SCAN match globs; MULTI aborts on a bad queued command", () => {
    const { redis, run } = setup();
    run("MSET", "a:1", "x", "a:2", "y", "b:1", "z");
    expect((run("KEYS", "a:*") as string[]).sort()).toEqual(["a:1", "a:2"]);
    expect(run("SCAN", "0", "MATCH", "b:?")).toEqual(["0", ["b:1"]]);
    const session = redis.session();
    session(["MULTI"]);
    session(["INCR", "a:1"]);
    expect(plain(session(["GET"]))).toMatch(/wrong number/);
    expect(plain(session(["EXEC"]))).toMatch(/EXECABORT/);
  });
});
