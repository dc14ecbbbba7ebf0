// startRedis: the spawned redis-server is really stopped, the fallback says so and speaks RESP, REDIS_URL is used as is.
import { describe, expect, it } from "vitest";
import { freePort } from "./free-port.ts";
import { RespStatus } from "./redis/resp.ts";
import { RespClient } from "./redis/resp-client.ts";
import { FALLBACK_NOTICE, findOnPath, redactUrl, startRedis } from "./redis.ts";

const redisServer = findOnPath("redis-server");
if (!redisServer) console.warn("redis.test: no redis-server on PATH — skipping the spawned-server case");

async function ping(url: string): Promise<unknown> {
  const client = new RespClient(url, { connectTimeoutMs: 300 });
  try {
    const reply = await client.send(["PING"]);
    return reply instanceof RespStatus ? reply.value : reply;
  } finally {
    await client.close();
  }
}

describe("startRedis", () => {
  it.skipIf(!redisServer)("spawns redis-server without persistence and stops it completely", async () => {
    const lines: string[] = [];
    const redis = await startRedis({
      port: await freePort(),
      dataDir: "/tmp/edgeplate-redis-test",
      log: (l) => lines.push(l),
    });
    expect(redis.kind).toBe("spawned");
    expect(await ping(redis.url)).toBe("PONG");
    const client = new RespClient(redis.url);
    const save = await client.sendBatch([
      ["CONFIG", "GET", "save"],
      ["CONFIG", "GET", "appendonly"],
    ]);
    await client.close();
    expect(save.map((r) => (Array.isArray(r) ? r.map(String) : r))).toEqual([
      ["save", ""],
      ["appendonly", "no"],
    ]);
    await redis.stop();
    await expect(ping(redis.url)).rejects.toThrow(/cannot connect/);
    expect(lines.join("\n")).toMatch(/started .*redis-server/);
  });

  it("falls back to the in-process Redis with a clear notice, and frees its port on stop()", async () => {
    const lines: string[] = [];
    const redis = await startRedis({
      port: await freePort(),
      dataDir: "/tmp/edgeplate-redis-test",
      log: (l) => lines.push(l),
      serverBinary: null,
    });
    try {
      expect(redis.kind).toBe("in-process");
      expect(lines).toContain(FALLBACK_NOTICE);
      expect(await ping(redis.url)).toBe("PONG");
    } finally {
      await redis.stop();
    }
    await expect(ping(redis.url)).rejects.toThrow(/cannot connect/);
  });

  it("uses REDIS_URL as given and leaves it running on stop()", async () => {
    const fallback = await startRedis({
      port: await freePort(),
      dataDir: "/tmp/x",
      log: () => {},
      serverBinary: null,
    });
    const lines: string[] = [];
    const external = await startRedis({
      port: 1,
      dataDir: "/tmp/x",
      url: fallback.url,
      log: (l) => lines.push(l),
    });
    expect(external).toMatchObject({ kind: "external", url: fallback.url });
    await external.stop();
    expect(await ping(fallback.url)).toBe("PONG");
    await fallback.stop();
    expect(lines[0]).toMatch(/using REDIS_URL/);
  });

  it("fails clearly for an unreachable REDIS_URL and redacts passwords in logs", async () => {
    const port = await freePort();
    await expect(
      startRedis({
        port,
        dataDir: "/tmp/x",
        url: `redis://127.0.0.1:${port}`,
        log: () => {},
        readyTimeoutMs: 200,
      }),
    ).rejects.toThrow(/not ready/);
    expect(redactUrl("redis://user:secret@host:6379/0")).toBe("redis://user:***@host:6379/0");
  });
});
