// Write-behind counters: increments accumulate in Redis, drain hands over each count exactly once, a failed
// flush keeps its batch (same batch id) for the next run, and a down Redis never throws on the hot path.
import { Redis } from "@upstash/redis/cloudflare";
import { describe, expect, it } from "vitest";
import type { CacheRedis } from "../datacache/index.ts";
import { FakeRedis, until } from "../testing/index.ts";
import { type CountersRedis, createCounters } from "./counters.ts";

function setup() {
  const redis = new FakeRedis();
  const logs: string[] = [];
  const counters = createCounters(redis, { log: (l) => logs.push(l) });
  const applied: { counts: Map<string, number>; batchId: string }[] = [];
  const apply = async (counts: Map<string, number>, batchId: string) => {
    applied.push({ counts, batchId });
  };
  return { redis, counters, logs, applied, apply };
}

describe("createCounters", () => {
  it("accumulates increments per id and drains them in one batch, once", async () => {
    const { redis, counters, applied, apply } = setup();
    await Promise.all([counters.incr("views", 1), counters.incr("views", 1), counters.incr("views", "2", 5)]);
    expect(await counters.drain("views", apply)).toEqual({ status: "applied", batches: 1, ids: 2, total: 7 });
    expect(applied[0]?.counts).toEqual(
      new Map([
        ["1", 2],
        ["2", 5],
      ]),
    );
    expect(await counters.drain("views", apply)).toEqual({ status: "empty" });
    expect(redis.hash("ctr:views:inflight")).toBeUndefined();
    expect(applied).toHaveLength(1);
  });

  it("increments arriving during a flush land in the next batch, not this one", async () => {
    const { counters, applied } = setup();
    await counters.incr("views", 1);
    await counters.drain("views", async (counts) => {
      await counters.incr("views", 1, 10);
      applied.push({ counts, batchId: "" });
    });
    await counters.drain("views", async (counts) => {
      applied.push({ counts, batchId: "" });
    });
    expect(applied.map((a) => a.counts.get("1"))).toEqual([1, 10]);
  });

  it("a failed flush loses nothing: the same batch (same id) is applied on the next drain, then newer counts", async () => {
    const { counters, applied, apply } = setup();
    await counters.incr("views", 7, 3);
    await expect(counters.drain("views", () => Promise.reject(new Error("db down")))).rejects.toThrow(
      "db down",
    );
    const failedBatch = await new Promise<string>((resolve) => {
      void counters
        .drain("views", (_counts, batchId) => {
          resolve(batchId);
          return Promise.reject(new Error("still down"));
        })
        .catch(() => {});
    });
    await counters.incr("views", 7, 4);
    expect(await counters.drain("views", apply)).toEqual({ status: "applied", batches: 2, ids: 2, total: 7 });
    expect(applied.map((a) => a.counts.get("7"))).toEqual([3, 4]);
    expect(applied[0]?.batchId).toBe(failedBatch);
    expect(applied[1]?.batchId).not.toBe(failedBatch);
  });

  it("a second concurrent drain of the same counter backs off", async () => {
    const { counters } = setup();
    await counters.incr("views", 1);
    let release: (() => void) | null = null;
    const first = counters.drain("views", () => new Promise<void>((r) => (release = r)));
    await until(() => release !== null, "the first drain applying");
    expect(await counters.drain("views", async () => {})).toEqual({ status: "busy" });
    (release as (() => void) | null)?.();
    expect((await first).status).toBe("applied");
  });

  it("a down Redis drops increments with a log (never throws), or hands them to onUnavailable", async () => {
    const { redis, counters, logs } = setup();
    redis.mode = "error";
    expect(await counters.incr("views", 1)).toBe(false);
    expect(await counters.incr("views", 1)).toBe(false);
    expect(counters.dropped()).toBe(2);
    expect(logs.join("\n")).toMatch(/dropped 1 increment/);
    const direct: [string, string, number][] = [];
    const fallback = createCounters(redis, {
      log: () => {},
      onUnavailable: (...args) => void direct.push(args),
    });
    expect(await fallback.incr("views", 9, 2)).toBe(false);
    expect(direct).toEqual([["views", "9", 2]]);
    await expect(counters.incr("views", 1, 1.5)).rejects.toThrow(/integer/);
  });

  it("a real @upstash/redis client satisfies both narrow interfaces", () => {
    const redis = new Redis({ url: "http://127.0.0.1:1", token: "unused" });
    const asCounters: CountersRedis = redis;
    const asCache: CacheRedis = redis;
    expect(asCounters).toBe(asCache);
  });
});
