// Tests: Hot cache LRU: entry, byte and TTL bounds.
import { describe, expect, it } from "vitest";
import { type CachedObject, HotCache } from "./hot-cache.ts";

const obj = (bytes: number, tags: string[] = [], ttl = 60, storedAt = 0): CachedObject => ({
  status: 200,
  statusText: "OK",
  headers: [],
  body: new ArrayBuffer(bytes),
  meta: { storedAt, ttl, grace: 0, keep: 0, ageAtStore: 0, tags },
});

describe("HotCache", () => {
  it("evicts the least recently used entry beyond maxEntries", () => {
    const hot = new HotCache({ maxEntries: 2, maxBytes: 1e6, ttlMs: 5_000 });
    hot.set("a", obj(1), 0);
    hot.set("b", obj(1), 0);
    expect(hot.get("a", 1)).toBeDefined(); // a is now most recent
    hot.set("c", obj(1), 1);
    expect(hot.get("b", 2)).toBeUndefined();
    expect(hot.get("a", 2)).toBeDefined();
    expect(hot.get("c", 2)).toBeDefined();
    expect(hot.size).toBe(2);
  });

  it("stays within maxBytes and keeps its byte count exact", () => {
    const hot = new HotCache({ maxEntries: 100, maxBytes: 400, ttlMs: 5_000 });
    for (let i = 0; i < 10; i++) hot.set(`k${i}`, obj(90), 0);
    expect(hot.bytes).toBeLessThanOrEqual(400);
    expect(hot.size).toBe(4);
    expect(hot.get("k9", 0)).toBeDefined();
    expect(hot.get("k0", 0)).toBeUndefined();
    hot.clear();
    expect(hot.bytes).toBe(0);
  });

  it("refuses objects larger than a quarter of the byte budget", () => {
    const hot = new HotCache({ maxEntries: 100, maxBytes: 400, ttlMs: 5_000 });
    hot.set("big", obj(200), 0);
    expect(hot.size).toBe(0);
    expect(hot.admits(100)).toBe(true);
    expect(hot.admits(101)).toBe(false);
  });

  it("expires after ttlMs, and never outlives the object's freshness", () => {
    const hot = new HotCache({ maxEntries: 10, maxBytes: 1e6, ttlMs: 3_000 });
    hot.set("a", obj(1), 0);
    expect(hot.get("a", 2_999)).toBeDefined();
    expect(hot.get("a", 3_000)).toBeUndefined();
    hot.set("b", obj(1, [], 1, 0), 0); // fresh for 1 s only
    expect(hot.get("b", 999)).toBeDefined();
    expect(hot.get("b", 1_000)).toBeUndefined();
    expect(hot.bytes).toBe(0);
  });

  it("is disabled with maxEntries 0", () => {
    const hot = new HotCache({ maxEntries: 0, maxBytes: 1e6, ttlMs: 3_000 });
    hot.set("a", obj(1), 0);
    expect(hot.get("a", 0)).toBeUndefined();
  });

  it("drops tagged entries and replaces a key without double counting", () => {
    const hot = new HotCache({ maxEntries: 10, maxBytes: 1e6, ttlMs: 3_000 });
    hot.set("a", obj(10, ["talk:1"]), 0);
    hot.set("a", obj(10, ["talk:1"]), 0);
    hot.set("b", obj(10, ["talk:2"]), 0);
    const before = hot.bytes;
    expect(hot.deleteTagged(new Set(["talk:1"]))).toBe(1);
    expect(hot.get("a", 0)).toBeUndefined();
    expect(hot.get("b", 0)).toBeDefined();
    expect(hot.bytes).toBe(before / 2);
  });

  it("keeps a copy liveTtlMs while live() holds, ttlMs otherwise, never past freshness", () => {
    let live = true;
    const hot = new HotCache({ maxEntries: 10, maxBytes: 1e6, ttlMs: 3_000, liveTtlMs: 60_000 }, () => live);
    hot.set("a", obj(1, [], 120), 0);
    hot.set("b", obj(1, [], 10), 0);
    expect(hot.get("a", 30_000)).toBeDefined();
    expect(hot.get("b", 10_000)).toBeUndefined(); // its freshness ended at 10 s
    live = false;
    expect(hot.has("a", 30_000)).toBe(false);
    expect(hot.get("a", 30_000)).toBeUndefined();
  });
});
