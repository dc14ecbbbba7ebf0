import { Redis } from "@upstash/redis/cloudflare";
import { describe, expect, it } from "vitest";
import { redisClient } from "./client.ts";

describe("redisClient", () => {
  it("is null without a URL or a token, a client with both", () => {
    expect(redisClient(null, "t")).toBeNull();
    expect(redisClient("https://r.example", "")).toBeNull();
    expect(redisClient(undefined, undefined)).toBeNull();
    expect(redisClient("https://r.example", "t")).toBeInstanceOf(Redis);
  });

  it("gives up at once on an unreachable Redis instead of retrying", async () => {
    const redis = redisClient("http://127.0.0.1:1", "t");
    const started = Date.now();
    await expect(redis?.ping()).rejects.toThrow();
    // The default client retries five times with backoff (seconds); one refused connection is milliseconds.
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
