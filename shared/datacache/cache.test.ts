// The object cache against an in-memory Redis double: stampede control, stale serving, XFetch, tags, fail-open.
import { describe, expect, it } from "vitest";
import { FakeRedis, until } from "../testing/index.ts";
import { createDataCache, type DataCacheOptions } from "./cache.ts";

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function setup(extra: Partial<DataCacheOptions> = {}) {
  const clock = { t: 1_000_000 };
  const now = () => clock.t;
  const redis = new FakeRedis(now);
  const logs: string[] = [];
  // Each instance is what one isolate would hold; they share only Redis.
  const isolate = (more: Partial<DataCacheOptions> = {}) =>
    createDataCache({
      redis,
      now,
      random: () => 0.999,
      log: (l) => logs.push(l),
      waitMs: 1000,
      pollMs: 5,
      ...extra,
      ...more,
    });
  return { clock, redis, logs, isolate };
}

describe("createDataCache", () => {
  it("loads on a miss, stores an envelope with Δ and a jittered expiry, then hits", async () => {
    const { clock, redis, isolate } = setup();
    const cache = isolate({ random: () => 0.5 });
    let loads = 0;
    const load = async () => {
      loads++;
      clock.t += 40;
      return { id: 1, title: "Talk" };
    };
    expect(await cache.cached("talk:1", 60, load)).toEqual({ id: 1, title: "Talk" });
    expect(await cache.cached("talk:1", 60, load)).toEqual({ id: 1, title: "Talk" });
    expect(loads).toBe(1);
    const env = JSON.parse(redis.raw("dc:d:talk:1") ?? "null");
    expect(env).toEqual({ v: { id: 1, title: "Talk" }, d: 40, x: 1_000_040 + 57_000 });
    expect(redis.raw("dc:l:talk:1")).toBeUndefined();
  });

  it("200 concurrent callers across 20 isolates on one missing key → exactly 1 load", async () => {
    const { redis, isolate } = setup();
    const caches = Array.from({ length: 20 }, () => isolate());
    let loads = 0;
    const load = async () => {
      loads++;
      // Holds the lock until every isolate has tried to take it (one SET NX each).
      await until(() => redis.count("set") >= 20, "20 lock attempts");
      return "fresh";
    };
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => caches[i % 20]?.cached("hot", 60, load)),
    );
    expect(loads).toBe(1);
    expect(new Set(results)).toEqual(new Set(["fresh"]));
  });

  it("200 concurrent callers on one expired key → exactly 1 load, the rest get the stale value at once", async () => {
    const { clock, isolate } = setup();
    const caches = Array.from({ length: 20 }, () => isolate());
    await caches[0]?.cached("hot", 60, async () => "old");
    clock.t += 61_000;
    const gate = deferred<string>();
    let loads = 0;
    const load = () => {
      loads++;
      return gate.promise;
    };
    const calls = Array.from({ length: 200 }, (_, i) => caches[i % 20]?.cached("hot", 60, load));
    let settled = 0;
    for (const call of calls) void call?.then(() => settled++);
    await until(() => settled >= 190, "190 callers answered");
    // Only the refreshing isolate's 10 callers wait for the load; the other 190 got "old" without waiting.
    expect([loads, settled]).toEqual([1, 190]);
    gate.resolve("new");
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === "old")).toHaveLength(190);
    expect(results.filter((r) => r === "new")).toHaveLength(10);
    expect(await caches[5]?.cached("hot", 60, load)).toBe("new");
    expect(loads).toBe(1);
  });

  it("with waitUntil the refresher also serves stale and refreshes in the background", async () => {
    const { clock, isolate } = setup();
    const cache = isolate();
    await cache.cached("k", 10, async () => 1);
    clock.t += 11_000;
    const background: Promise<unknown>[] = [];
    const value = await cache.cached("k", 10, async () => 2, { waitUntil: (p) => background.push(p) });
    expect(value).toBe(1);
    await Promise.all(background);
    expect(await cache.cached("k", 10, async () => 3)).toBe(2);
  });

  it("serves the stale value if the refresh fails (stale-if-error), and throws on a miss", async () => {
    const { clock, isolate, logs } = setup();
    const cache = isolate();
    await cache.cached("k", 10, async () => "old");
    clock.t += 11_000;
    expect(await cache.cached("k", 10, () => Promise.reject(new Error("db down")))).toBe("old");
    expect(logs.join()).toMatch(/refresh of k failed/);
    await expect(cache.cached("other", 10, () => Promise.reject(new Error("db down")))).rejects.toThrow(
      "db down",
    );
    // The lock was released: the next caller loads instead of waiting for a dead refresher.
    expect(await cache.cached("other", 10, async () => "ok")).toBe("ok");
  });

  it("gives up waiting after waitMs and loads itself when another loader holds the lock", async () => {
    const { redis, isolate } = setup({ waitMs: 30, pollMs: 10 });
    await redis.set("dc:l:k", "someone", { px: 60_000, nx: true });
    let loads = 0;
    expect(await isolate().cached("k", 10, async () => ++loads)).toBe(1);
    expect(redis.count("mget")).toBe(4);
  });

  it("XFetch: a fresh entry near expiry is refreshed early by one caller when the draw says so", async () => {
    const { clock, isolate } = setup();
    let loads = 0;
    const load = async () => {
      loads++;
      clock.t += 1000; // Δ = 1 s
      return loads;
    };
    await isolate({ random: () => 0 }).cached("k", 10, load);
    clock.t += 9_500; // 0.5 s before expiry, Δ = 1 s
    expect(await isolate({ random: () => 0.9 }).cached("k", 10, load)).toBe(1); // −ln 0.9 ≈ 0.1: not yet
    expect(await isolate({ random: () => 0.3 }).cached("k", 10, load)).toBe(2); // −ln 0.3 ≈ 1.2: refreshes inline
    expect(loads).toBe(2);
    expect(await isolate({ random: () => 0.9 }).cached("k", 10, load)).toBe(2);
  });

  it("shares one load among concurrent callers in one isolate (single-flight), with or without Redis", async () => {
    const { redis, isolate } = setup();
    const cache = isolate();
    let loads = 0;
    // The 50 calls are all made before the first one can reach the load: no delay is needed to overlap them.
    const load = async () => {
      loads++;
      return "v";
    };
    await Promise.all(Array.from({ length: 50 }, () => cache.cached("k", 10, load)));
    expect([loads, redis.count("mget")]).toEqual([1, 1]);
    const noRedis = createDataCache({ redis: null });
    await Promise.all(Array.from({ length: 50 }, () => noRedis.cached("k", 10, load)));
    expect(loads).toBe(2);
  });

  it("tags: bump() invalidates every entry of the group; others stay cached", async () => {
    const { isolate } = setup();
    const cache = isolate();
    let version = 1;
    const load = async () => `talks v${version}`;
    expect(await cache.cached("event:12:talks", 60, load, { tags: ["event:12"] })).toBe("talks v1");
    expect(await cache.cached("event:13:talks", 60, load, { tags: ["event:13"] })).toBe("talks v1");
    version = 2;
    expect(await cache.bump("event:12")).toBe(true);
    expect(await cache.cached("event:12:talks", 60, load, { tags: ["event:12"] })).toBe("talks v2");
    expect(await cache.cached("event:13:talks", 60, load, { tags: ["event:13"] })).toBe("talks v1");
  });

  it("fill-on-write: set() stores the new value so the next read is a hit, tags included", async () => {
    const { isolate } = setup();
    const cache = isolate();
    await cache.bump("event:1");
    expect(await cache.set("talk:9", { title: "Renamed" }, 60, { tags: ["event:1"] })).toBe(true);
    let loads = 0;
    const value = await cache.cached("talk:9", 60, async () => ++loads, { tags: ["event:1"] });
    expect([value, loads]).toEqual([{ title: "Renamed" }, 0]);
    await cache.delete("talk:9");
    expect(await cache.cached("talk:9", 60, async () => ++loads, { tags: ["event:1"] })).toBe(1);
  });

  it("fails open: a Redis error loads from the DB, then Redis is skipped until the cool-down ends", async () => {
    const { clock, redis, isolate, logs } = setup({ coolDownMs: 5000 });
    const cache = isolate();
    redis.mode = "error";
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.cached("k", 10, load)).toBe(1);
    expect(await cache.cached("k", 10, load)).toBe(2);
    expect(redis.count("mget")).toBe(1);
    expect(logs.filter((l) => l.includes("skipping Redis"))).toHaveLength(1);
    redis.mode = "ok";
    clock.t += 4_999;
    await cache.cached("k", 10, load);
    expect(redis.count("mget")).toBe(1);
    clock.t += 1;
    expect(await cache.cached("k", 10, load)).toBe(4);
    expect(redis.count("mget")).toBe(2);
    expect(await cache.cached("k", 10, load)).toBe(4);
  });

  it("a hanging Redis costs one timeout (then nothing) and the caller gets the loaded value", async () => {
    const { redis, isolate } = setup({ timeoutMs: 30 });
    const cache = isolate();
    redis.mode = "hang";
    const started = Date.now();
    expect(await cache.cached("k", 10, async () => "from db")).toBe("from db");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await cache.cached("k", 10, async () => "again")).toBe("again");
    expect(redis.count("mget")).toBe(1);
    expect(await cache.bump("t")).toBe(false);
  });
});
