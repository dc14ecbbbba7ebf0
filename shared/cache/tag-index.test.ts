// Tests: Tag → key index in memory and KV.
import { describe, expect, it } from "vitest";
import { memoryKv } from "./edge-cache.fixture.ts";
import { TagIndex } from "./tag-index.ts";

describe("TagIndex", () => {
  it("answers from memory without KV", async () => {
    const idx = new TagIndex();
    await idx.add("https://x.test/a", ["t", "u"], 100);
    await idx.add("https://x.test/b", ["t"], 100);
    expect((await idx.keys("t")).sort()).toEqual(["https://x.test/a", "https://x.test/b"]);
    await idx.forget("t", []);
    expect(await idx.keys("t")).toEqual([]);
    expect(await idx.keys("u")).toEqual(["https://x.test/a"]);
  });

  it("shares keys between isolates through KV, one entry per (tag, key)", async () => {
    const kv = memoryKv();
    const a = new TagIndex(kv);
    const b = new TagIndex(kv);
    await Promise.all([
      a.add("https://x.test/1", ["event:1"], 30),
      a.add("https://x.test/2", ["event:1"], 30),
    ]);
    expect((await b.keys("event:1")).sort()).toEqual(["https://x.test/1", "https://x.test/2"]);
    expect(await b.keys("event:10")).toEqual([]); // prefix of another tag's entries must not match
    await b.forget("event:1", await b.keys("event:1"));
    expect((await kv.list({ prefix: "" })).keys).toEqual([]);
  });

  it("bounds the in-memory index", async () => {
    const idx = new TagIndex(undefined, 2);
    await idx.add("k", ["a", "b", "c"], 10);
    expect(await idx.keys("a")).toEqual([]);
    expect(await idx.keys("c")).toEqual(["k"]);
  });
});
