// Tests: Engine: the in-isolate hot cache in front of the Cache API.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CACHE_NAME } from "../site/index.ts";
import { BASE, page, rig, status } from "./edge-cache.fixture.ts";
import { urlTag } from "./key.ts";

const hot = { maxEntries: 2, maxBytes: 100_000, ttlMs: 3_000 };

describe("edge cache: in-isolate hot cache", () => {
  it("answers hot pages without reading the Cache API, for at most the hot TTL", async () => {
    const r = await rig(page(), { hot });
    await r.get("/a");
    await r.cache.delete(`${BASE}/a`); // only the hot copy is left
    const res = await r.get("/a");
    expect(await res.text()).toBe("page v1");
    expect(status(res)).toBe(`${CACHE_NAME}; hit; ttl=60`);
    r.advance(3);
    expect(status(await r.get("/a"))).toContain("uri-miss");
  });

  it("fills from a Cache API hit, so the next request stays in memory", async () => {
    const r = await rig(page(), { hot: { ...hot, ttlMs: 1_000 } });
    await r.get("/b");
    r.advance(2); // hot copy expired; Cache API copy still fresh
    expect(status(await r.get("/b"))).toContain("hit");
    await r.cache.delete(`${BASE}/b`);
    expect(await (await r.get("/b")).text()).toBe("page v1");
  });

  it("is bounded by entries (LRU)", async () => {
    const r = await rig(page(), { hot });
    for (const p of ["/1", "/2", "/3"]) await r.get(p);
    for (const p of ["/1", "/2", "/3"]) await r.cache.delete(`${BASE}${p}`);
    expect(status(await r.get("/1"))).toContain("uri-miss"); // evicted
    expect(status(await r.get("/3"))).toContain("hit");
  });

  it("never serves a stale hot copy: grace goes through the normal path", async () => {
    const r = await rig(page(), { hot: { ...hot, ttlMs: 600_000 } });
    await r.get("/c");
    r.advance(61);
    expect(status(await r.get("/c"))).toContain("detail=stale-while-revalidate");
  });

  it("serves HEAD and GET from one hot copy", async () => {
    const r = await rig(page(), { hot });
    await r.get("/h");
    const head = await r.get("/h", { method: "HEAD" });
    expect(status(head)).toContain("hit");
    expect(await head.text()).toBe("");
    expect(await (await r.get("/h")).text()).toBe("page v1");
  });

  it("takes a prepared request and builds the caller's headers into every answer, never storing them", async () => {
    const r = await rig(page(), { hot });
    const origin = async () =>
      new Response("fresh", {
        headers: { "cache-control": "public, max-age=60", "x-flags-version": "stale" },
      });
    const extra = { "x-flags-version": "v7", "set-cookie": "ep_aid=n1; Path=/" };
    const send = async (path: string, init?: RequestInit) => {
      const req = new Request(BASE + path, init);
      const prepared = r.edge.prepare(req, new URL(req.url));
      const ctx = createExecutionContext();
      const res = await r.edge.handle(req, ctx, origin, undefined, { prepared, headers: extra });
      await waitOnExecutionContext(ctx);
      return { prepared, res };
    };
    const miss = await send("/x");
    expect(miss.prepared.class.cacheable).toBe(true);
    expect(status(miss.res)).toContain("uri-miss");
    const hit = await send("/x");
    expect(status(hit.res)).toBe(`${CACHE_NAME}; hit; ttl=60`);
    for (const { res } of [miss, hit]) {
      expect(res.headers.get("x-flags-version")).toBe("v7");
      expect(res.headers.getSetCookie()).toEqual(["ep_aid=n1; Path=/"]);
    }
    // Stored without them: a plain request gets neither.
    expect((await r.get("/x")).headers.get("x-flags-version")).toBe("stale");
    expect((await r.get("/x")).headers.has("set-cookie")).toBe(false);

    const post = await send("/x", { method: "POST" });
    expect(post.prepared.class).toMatchObject({ cacheable: false, reason: "method" });
    expect(status(post.res)).toContain("fwd=method");
    expect(post.res.headers.get("x-flags-version")).toBe("v7");
  });

  it("keeps hot copies longer while purges reach it, and drops those a purge elsewhere names", async () => {
    let live = true;
    const tagged = (req: Request) =>
      new Response("p", {
        headers: {
          "cache-control": "public, max-age=600",
          "cache-tag": `event:${new URL(req.url).pathname}`,
        },
      });
    const r = await rig(tagged, {
      hot: { ...hot, liveTtlMs: 60_000 },
      purgesLive: () => live,
    });
    r.edge.applyPurges([{ at: 5, tags: ["event:/e"] }]); // what was purged before this isolate began: nothing held
    await r.get("/e");
    await r.get("/f");
    for (const p of ["/e", "/f"]) await r.cache.delete(`${BASE}${p}`); // only the hot copies are left
    r.advance(30);
    expect(status(await r.get("/e"))).toContain("hit"); // 30 s: within the live life, past the short one
    r.edge.applyPurges([
      { at: 5, tags: ["event:/e"] },
      { at: 9, tags: ["event:/f"] },
    ]);
    expect(status(await r.get("/f"))).toContain("uri-miss"); // purged at another isolate
    expect(status(await r.get("/e"))).toContain("hit"); // not named by the new purge
    live = false; // the feed fell back to KV: copies older than the short life go
    expect(status(await r.get("/e"))).toContain("uri-miss");
  });

  it("announces its own purges for the other isolates", async () => {
    const announced: string[][] = [];
    const r = await rig(page(), {
      hot,
      announcePurge: async (tags) => {
        announced.push([...tags]);
      },
    });
    await r.edge.purgeTags(["event:1"]);
    await r.edge.purgeUrls([`${BASE}/a?utm_source=x`]);
    expect(announced).toEqual([["event:1"], [urlTag(`${BASE}/a`)]]);
  });
});
