// @upstash/redis and @upstash/ratelimit through the REST proxy: the same cases over redis-server and the fallback.
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./free-port.ts";
import { findOnPath, type RedisHandle, startRedis } from "./redis.ts";
import { startUpstashProxy, type UpstashProxy } from "./upstash-proxy.ts";

const TOKEN = "test-token";
const redisServer = findOnPath("redis-server");
if (!redisServer) console.warn("upstash-proxy.test: no redis-server on PATH — skipping the real-Redis cases");
const quiet = () => {};

const backends = [
  { name: "redis-server", serverBinary: redisServer, skip: !redisServer },
  { name: "the in-process fallback", serverBinary: null, skip: false },
];

async function raw(
  proxy: UpstashProxy,
  path: string,
  body: unknown,
  opts: { token?: string; base64?: boolean } = {},
) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${opts.token ?? TOKEN}`,
    "content-type": "application/json",
  };
  if (opts.base64) headers["upstash-encoding"] = "base64";
  const res = await fetch(`${proxy.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  return {
    status: res.status,
    body: (await res.json()) as unknown,
    sync: res.headers.get("upstash-sync-token"),
  };
}

describe.each(backends)("upstash proxy over $name", ({ serverBinary, skip }) => {
  let server: RedisHandle | null = null;
  let proxy: UpstashProxy;
  let redis: Redis;

  beforeAll(async () => {
    if (skip) return;
    const dataDir = "/tmp/edgeplate-redis-test";
    server = await startRedis({ port: await freePort(), dataDir, log: quiet, serverBinary });
    proxy = await startUpstashProxy({ port: 0, redisUrl: server.url, token: TOKEN, log: quiet });
    redis = new Redis({ url: proxy.url, token: TOKEN, retry: false });
    await redis.flushdb();
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it.skipIf(skip)("get/set/incr/ping, with expiry options", async () => {
    expect(await redis.set("greeting", "hello", { px: 60_000 })).toBe("OK");
    expect(await redis.get("greeting")).toBe("hello");
    expect(await redis.incr("n")).toBe(1);
    expect(await redis.incrby("n", 41)).toBe(42);
    expect(await redis.get("n")).toBe(42);
    expect(await redis.ping()).toBe("PONG");
    expect(await redis.set("greeting", "x", { nx: true })).toBeNull();
    expect(await redis.pttl("greeting")).toBeGreaterThan(59_000);
    expect(await redis.get("missing")).toBeNull();
  });

  it.skipIf(skip)(
    "round-trips unicode and binary-ish strings through base64 and plain encodings",
    async () => {
      const nasty = 'héllo ✓ 日本 🎉 "quoted" \\ \u0000\u0001\u00ff OK';
      await redis.set("nasty", nasty);
      expect(await redis.get("nasty")).toBe(nasty);
      expect(await redis.mget("nasty", "missing")).toEqual([nasty, null]);
      await redis.set("looks-ok", "OK");
      expect(await redis.get("looks-ok")).toBe("OK");
      // Only a status reply stays plain in base64 mode; a stored "OK" is data and is encoded like any other.
      expect((await raw(proxy, "/", ["SET", "looks-ok", "OK"], { base64: true })).body).toEqual({
        result: "OK",
      });
      expect((await raw(proxy, "/", ["GET", "looks-ok"], { base64: true })).body).toEqual({ result: "T0s=" });
      expect((await raw(proxy, "/", ["PING"], { base64: true })).body).toEqual({ result: "UE9ORw==" });
      const plain = new Redis({ url: proxy.url, token: TOKEN, responseEncoding: false, retry: false });
      expect(await plain.get("nasty")).toBe(nasty);
      expect((await raw(proxy, "/", ["GET", "nasty"])).body).toEqual({ result: nasty });
    },
  );

  it.skipIf(skip)("objects are JSON on the wire and hashes come back with numbers", async () => {
    await redis.set("obj", { a: 1, b: ["x"] });
    expect(await redis.get("obj")).toEqual({ a: 1, b: ["x"] });
    await redis.hincrby("views", "7", 3);
    await redis.hincrby("views", "7", 2);
    await redis.hincrby("views", "9", 1);
    expect(await redis.hgetall("views")).toEqual({ "7": 5, "9": 1 });
    expect(await redis.hgetall("no-such-hash")).toBeNull();
  });

  it.skipIf(skip)("the counters' flush: HSETNX, RENAMENX, EXISTS, KEYS, DEL", async () => {
    await redis.hincrby("cnt:pending", "7", 2);
    expect(await redis.hsetnx("cnt:pending", "batch", "b1")).toBe(1);
    expect(await redis.hsetnx("cnt:pending", "batch", "b2")).toBe(0);
    expect(await redis.renamenx("cnt:pending", "cnt:inflight")).toBe(1);
    await redis.hincrby("cnt:pending", "7", 1);
    expect(await redis.renamenx("cnt:pending", "cnt:inflight")).toBe(0);
    expect(await redis.hgetall("cnt:inflight")).toEqual({ "7": 2, batch: "b1" });
    expect((await redis.keys("cnt:*")).sort()).toEqual(["cnt:inflight", "cnt:pending"]);
    expect(await redis.exists("cnt:inflight", "cnt:pending", "cnt:none")).toBe(2);
    expect(await redis.del("cnt:inflight", "cnt:pending", "cnt:none")).toBe(2);
    expect(await redis.keys("cnt:*")).toEqual([]);
  });

  it.skipIf(skip)(
    "sets for search: add, remove, members, intersect (and store), count, expire, unlink",
    async () => {
      expect(await redis.sadd("tag:a", "ada", "bob", "cy")).toBe(3);
      expect(await redis.sadd("tag:b", "bob", "cy", "dee")).toBe(3);
      expect(await redis.sadd("tag:a", "cy")).toBe(0);
      expect(await redis.srem("tag:a", "ada", "zed")).toBe(1);
      expect((await redis.smembers("tag:a")).sort()).toEqual(["bob", "cy"]);
      expect((await redis.sinter("tag:a", "tag:b")).sort()).toEqual(["bob", "cy"]);
      expect(await redis.sinter("tag:a", "no-such-set")).toEqual([]);
      expect(await redis.sinterstore("hits", "tag:a", "tag:b")).toBe(2);
      expect(await redis.scard("hits")).toBe(2);
      expect(await redis.scard("no-such-set")).toBe(0);
      expect(await redis.expire("hits", 60)).toBe(1);
      expect(await redis.ttl("hits")).toBeGreaterThan(55);
      expect(await redis.expire("no-such-set", 60)).toBe(0);
      expect(await redis.unlink("hits", "tag:a", "no-such-set")).toBe(2);
      expect(await redis.exists("hits", "tag:a", "tag:b")).toBe(1);
    },
  );

  it.skipIf(skip)(
    "Lua: EVAL with Upstash's shebang, SCRIPT LOAD + EVALSHA, NOSCRIPT for an unknown sha",
    async () => {
      const script =
        "#!lua flags=allow-key-locking\nreturn {redis.call('INCRBY', KEYS[1], ARGV[1]), ARGV[2]}";
      expect(await redis.eval(script, ["lua:n"], [5, "five"])).toEqual([5, "five"]);
      const sha = await redis.scriptLoad("return redis.call('GET', KEYS[1])");
      expect(await redis.evalsha(sha, ["lua:n"], [])).toBe(5);
      expect(await redis.scriptExists(sha, "0".repeat(40))).toEqual([1, 0]);
      await expect(redis.evalsha("0".repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
    },
  );

  it.skipIf(skip)(
    "pipeline keeps per-command errors; auto-pipelining batches same-tick commands",
    async () => {
      const p = redis.pipeline();
      p.set("p1", "a");
      p.get("p1");
      p.evalsha("0".repeat(40), [], []);
      p.incr("p2");
      const results = await p.exec({ keepErrors: true });
      expect(results[0]?.result).toBe("OK");
      expect(results[1]?.result).toBe("a");
      expect(results[2]?.error).toMatch(/NOSCRIPT/);
      expect(results[3]?.result).toBe(1);
      const auto = new Redis({ url: proxy.url, token: TOKEN, enableAutoPipelining: true, retry: false });
      expect(await Promise.all([auto.set("ap", 1), auto.incr("ap"), auto.get("ap")])).toEqual(["OK", 2, 2]);
    },
  );

  it.skipIf(skip)("multi-exec runs atomically and reports results in order", async () => {
    const tx = redis.multi();
    tx.set("m", 10);
    tx.incrby("m", 5);
    tx.get("m");
    expect(await tx.exec()).toEqual(["OK", 15, 15]);
    const aborted = await raw(proxy, "/multi-exec", [["SET", "m", "1"], ["NOSUCHCMD"]]);
    expect(aborted.status).toBe(400);
    expect(String((aborted.body as { error: string }).error)).toMatch(/EXECABORT/);
    expect(await redis.get("m")).toBe(15);
  });

  it.skipIf(skip)(
    "rejects a missing or wrong token with 401 and a bad command with 400 {error}",
    async () => {
      expect((await raw(proxy, "/", ["PING"], { token: "wrong" })).status).toBe(401);
      const noAuth = await fetch(proxy.url, { method: "POST", body: '["PING"]' });
      expect(noAuth.status).toBe(401);
      const bad = await raw(proxy, "/", ["NOSUCHCMD", "x"]);
      expect(bad.status).toBe(400);
      expect((bad.body as { error: string }).error).toMatch(/unknown command/);
      expect(bad.sync).toBeTruthy();
      const wrongToken = new Redis({ url: proxy.url, token: "wrong", retry: false });
      await expect(wrongToken.get("x")).rejects.toThrow(/Unauthorized/);
      expect((await raw(proxy, "/", ["SUBSCRIBE", "c"])).status).toBe(400);
    },
  );

  it.skipIf(skip)("answers the GET path form", async () => {
    const res = await fetch(`${proxy.url}/set/path-key/path%20value`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await res.json()).toEqual({ result: "OK" });
    expect(await redis.get("path-key")).toBe("path value");
  });

  it.skipIf(skip)("@upstash/ratelimit sliding window allows the limit, then blocks", async () => {
    const limiter = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(3, "10 s"), prefix: "rl-test" });
    const outcomes: boolean[] = [];
    for (let i = 0; i < 5; i++) outcomes.push((await limiter.limit("client-1")).success);
    expect(outcomes).toEqual([true, true, true, false, false]);
    const other = await limiter.limit("client-2");
    expect(other).toMatchObject({ success: true, limit: 3, remaining: 2 });
  });
});

describe.skipIf(!redisServer)("upstash proxy when Redis goes away", () => {
  it("answers 503 promptly instead of hanging, and recovers when Redis is back", async () => {
    const port = await freePort();
    const first = await startRedis({ port, dataDir: "/tmp/edgeplate-redis-test", log: quiet });
    const proxy = await startUpstashProxy({ port: 0, redisUrl: first.url, token: TOKEN, log: quiet });
    try {
      expect((await raw(proxy, "/", ["SET", "k", "v"])).status).toBe(200);
      await first.stop();
      const started = Date.now();
      const down = await raw(proxy, "/", ["GET", "k"]);
      expect(down.status).toBe(503);
      expect((down.body as { error: string }).error).toMatch(/redis unavailable/);
      expect(Date.now() - started).toBeLessThan(1500);
      const second = await startRedis({ port, dataDir: "/tmp/edgeplate-redis-test", log: quiet });
      try {
        expect((await raw(proxy, "/", ["PING"])).body).toEqual({ result: "PONG" });
      } finally {
        await second.stop();
      }
    } finally {
      await proxy.close();
    }
  });
});
