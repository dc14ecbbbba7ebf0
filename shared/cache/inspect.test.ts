// Tests: looking at what the cache holds for a URL, its variants and keep copies, without changing anything.
import { describe, expect, it } from "vitest";
import { memoryKv, page, rig } from "./edge-cache.fixture.ts";

describe("edge cache: inspect", () => {
  it("shows status, age, TTL, grace, keep and tags of the stored page, and nothing for a page never stored", async () => {
    const r = await rig(page("public, max-age=60", { "cache-tag": "talk:1" }));
    expect((await r.edge.inspect("https://events.test/talks/1")).entries).toEqual([]);
    await r.get("/talks/1");
    r.advance(15);
    const seen = await r.edge.inspect("https://events.test/talks/1?utm_source=x");
    expect(seen.base).toBe("https://events.test/talks/1");
    expect(seen.entries).toEqual([
      {
        key: "https://events.test/talks/1",
        status: 200,
        storedAt: new Date(r.now() - 15_000).toISOString(),
        age: 15,
        ttl: 60,
        grace: 10,
        keep: 300,
        ttlLeft: 45,
        freshness: "fresh",
        tags: ["talk:1"],
        hot: false,
      },
    ]);
    r.advance(50);
    expect((await r.edge.inspect("https://events.test/talks/1")).entries[0]?.freshness).toBe("grace");
    // Looking neither fetched nor refreshed anything.
    expect(r.calls.length).toBe(1);
  });

  it("lists flag variants through the tag index, and the keep copy a soft purge leaves", async () => {
    const r = await rig(page(), { tagIndex: memoryKv() });
    await r.get("/t", undefined, { "flag:cta": "bold" });
    await r.get("/t", undefined, { "flag:cta": "control" });
    const both = await r.edge.inspect("https://events.test/t");
    expect(both.variantsListed).toBe(true);
    expect(both.entries.map((e) => e.key).sort()).toEqual([
      "https://events.test/t?__ep.k.flag%3Acta=bold",
      "https://events.test/t?__ep.k.flag%3Acta=control",
    ]);
    await r.edge.purgeUrls(["https://events.test/t"]);
    const after = await r.edge.inspect("https://events.test/t");
    expect(after.entries).toEqual([]);
    expect(after.keepCopies.length).toBe(2);
  });
});
