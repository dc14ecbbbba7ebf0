// The in-process fallback answers like redis-server on the wire: reply types, errors, MULTI/EXEC, order, scripts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FallbackRedis } from "./fallback-redis.ts";
import { RespError, RespStatus, type RespValue } from "./resp.ts";
import { RespClient } from "./resp-client.ts";
import { type RespServer, serveResp } from "./resp-server.ts";

const bulk = (text: string) => Buffer.from(text);
const status = (text: string) => new RespStatus(text);
const errorText = (value: RespValue) =>
  value instanceof RespError ? value.message : `not an error: ${value}`;

describe("the in-process Redis fallback", () => {
  const redis = new FallbackRedis();
  let server: RespServer;
  let url: string;

  beforeAll(async () => {
    server = await serveResp(redis, 0);
    url = `redis://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await redis.close();
  });

  it("keeps status replies apart from bulk strings, as Upstash's base64 mode needs", async () => {
    expect(await redis.exec(["SET", "k", "OK"])).toStrictEqual(status("OK"));
    expect(await redis.exec(["GET", "k"])).toStrictEqual(bulk("OK"));
    expect(await redis.exec(["SET", "k", "v", "GET"])).toStrictEqual(bulk("OK"));
    expect(await redis.exec(["PING"])).toStrictEqual(status("PONG"));
    expect(await redis.exec(["PING", "hi"])).toStrictEqual(bulk("hi"));
    expect(await redis.exec(["TYPE", "k"])).toStrictEqual(status("string"));
    expect(await redis.exec(["GET", "missing"])).toBeNull();
    expect(await redis.exec(["HINCRBY", "h", "f", "2"])).toBe(2);
    expect(await redis.exec(["HGETALL", "h"])).toStrictEqual([bulk("f"), bulk("2")]);
  });

  it("understands SET options in any case (@upstash/redis sends them lower-case)", async () => {
    expect(await redis.exec(["set", "lock", "a", "px", "60000", "nx"])).toStrictEqual(status("OK"));
    expect(await redis.exec(["set", "lock", "b", "px", "60000", "nx"])).toBeNull();
    expect(await redis.exec(["PTTL", "lock"])).toBeGreaterThan(59_000);
    expect(await redis.exec(["SET", "plain", "nx"])).toStrictEqual(status("OK"));
    expect(await redis.exec(["GET", "plain"])).toStrictEqual(bulk("nx"));
  });

  it("answers Redis's errors for unknown commands and wrong arity, and refuses shared-connection state", async () => {
    expect(errorText(await redis.exec(["GET"]))).toBe("ERR wrong number of arguments for 'get' command");
    expect(errorText(await redis.exec(["NOSUCH", "x"]))).toBe(
      "ERR unknown command 'NOSUCH', with args beginning with: 'x'",
    );
    for (const command of [
      ["SUBSCRIBE", "c"],
      ["BLPOP", "l", "0"],
      ["WATCH", "k"],
      ["SELECT", "1"],
      ["MULTI"],
    ]) {
      expect(errorText(await redis.exec(command))).toMatch(/not supported by the in-process Redis fallback/);
    }
  });

  it("runs Lua: EVAL, SCRIPT LOAD/EXISTS/FLUSH, EVALSHA, a shebang line, Redis's conversions", async () => {
    const script = "#!lua flags=no-writes\nreturn {redis.call('INCRBY', KEYS[1], ARGV[1]), true, 2.9, 'x'}";
    expect(await redis.exec(["EVAL", script, "1", "n", "4"])).toStrictEqual([4, 1, 2, bulk("x")]);
    const sha = await redis.exec(["SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])"]);
    if (!Buffer.isBuffer(sha)) throw new Error(`SCRIPT LOAD answered ${String(sha)}`);
    expect(await redis.exec(["EVALSHA", sha.toString(), "1", "n"])).toStrictEqual(bulk("4"));
    expect(await redis.exec(["SCRIPT", "EXISTS", sha.toString(), "f".repeat(40)])).toStrictEqual([1, 0]);
    expect(await redis.exec(["SCRIPT", "FLUSH"])).toStrictEqual(status("OK"));
    expect(errorText(await redis.exec(["EVALSHA", sha.toString(), "0"]))).toMatch(/^NOSCRIPT /);
    expect(errorText(await redis.exec(["EVAL", "return nosuch()", "0"]))).toMatch(/^ERR /);
  });

  it("MULTI queues per connection, EXEC runs the batch, a bad queued command aborts it", async () => {
    const one = redis.session();
    const other = redis.session();
    expect(one(["MULTI"])).toStrictEqual(status("OK"));
    expect(one(["INCR", "tx"])).toStrictEqual(status("QUEUED"));
    expect(await other(["INCR", "tx"])).toBe(1);
    expect(one(["INCR", "tx"])).toStrictEqual(status("QUEUED"));
    expect(await one(["EXEC"])).toEqual([2, 3]);
    one(["MULTI"]);
    one(["INCR", "tx"]);
    expect(errorText(await one(["GET"]))).toMatch(/wrong number/);
    expect(errorText(await one(["EXEC"]))).toMatch(/^EXECABORT/);
    expect(await other(["GET", "tx"])).toStrictEqual(bulk("3"));
    expect(errorText(await one(["EXEC"]))).toBe("ERR EXEC without MULTI");
  });

  it("replies in order on a connection even when a slow script is ahead, and QUIT closes after OK", async () => {
    const client = new RespClient(url);
    const slow = "local n = 0 for i = 1, 20000 do n = n + 1 end return n";
    const [first, second] = await Promise.all([
      client.sendBatch([
        ["EVAL", slow, "0"],
        ["SET", "order", "a"],
      ]),
      client.sendBatch([["APPEND", "order", "b"], ["GET", "order"], ["PING"]]),
    ]);
    expect(first).toStrictEqual([20000, status("OK")]);
    expect(second).toStrictEqual([2, bulk("ab"), status("PONG")]);
    expect(await client.sendBatch([["QUIT"]])).toStrictEqual([status("OK")]);
    await client.close();
  });

  it("keeps each instance's data to itself", async () => {
    const fresh = new FallbackRedis();
    await redis.exec(["SET", "mine", "1"]);
    expect(await fresh.exec(["GET", "mine"])).toBeNull();
    await fresh.close();
  });
});
