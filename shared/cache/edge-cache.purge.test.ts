// Tests: Engine: purge by URL and tag, locally, from origin (X-Edge-Purge) and through Cloudflare's API.

import { describe, expect, it } from "vitest";
import { until } from "../testing/index.ts";
import { BYPASS_COOKIE } from "./classify.ts";
import { BASE, memoryKv, page, rig, status } from "./edge-cache.fixture.ts";
import type { PurgeFetch } from "./purge-cloudflare.ts";

const tagged = (tag: string) => page("public, max-age=600", { "cache-tag": tag });

describe("edge cache: local purge", () => {
  it("purges every variant of a URL (flags included), ignoring tracking params in the purge URL", async () => {
    const r = await rig(page("public, max-age=600"));
    await r.get("/talks/1", undefined, { "flag:x": "on" });
    await r.get("/talks/1", undefined, { "flag:x": "off" });
    await r.get("/talks/2");
    expect(r.calls.length).toBe(3);

    const res = await r.edge.purgeUrls([`${BASE}/talks/1?utm_source=x`]);
    // Keys targeted: both flag variants and the plain page's key.
    expect(res).toEqual({ ok: true, items: 3, errors: [] });
    expect(status(await r.get("/talks/1", undefined, { "flag:x": "on" }))).toContain("fwd=uri-miss");
    expect(status(await r.get("/talks/1", undefined, { "flag:x": "off" }))).toContain("fwd=uri-miss");
    expect(status(await r.get("/talks/2"))).toContain("hit");
  });

  it("purges by Cache-Tag", async () => {
    const r = await rig(
      (req, n) =>
        new Response(`v${n}`, {
          headers: {
            "cache-control": "public, max-age=600",
            "cache-tag": new URL(req.url).pathname === "/c" ? "b" : "a,event:1",
          },
        }),
    );
    await r.get("/a1");
    await r.get("/a2");
    await r.get("/c");
    expect((await r.edge.purgeTags(["event:1"])).items).toBe(2);
    expect(status(await r.get("/a1"))).toContain("uri-miss");
    expect(status(await r.get("/a2"))).toContain("uri-miss");
    expect(status(await r.get("/c"))).toContain("hit");
  });

  it("finds other isolates' objects through the KV tag index, and their hot copies live at most the hot TTL", async () => {
    const kv = memoryKv();
    const hot = { maxEntries: 10, maxBytes: 100_000, ttlMs: 3_000 };
    const a = await rig(tagged("talk:9"), { tagIndex: kv, hot });
    const b = await rig(tagged("talk:9"), { tagIndex: kv, hot }, { cache: a.cache, start: a.now() });
    await a.get("/t9");

    expect((await b.edge.purgeTags(["talk:9"])).items).toBe(1);
    expect(await a.cache.match(`${BASE}/t9`)).toBeUndefined();
    // Isolate A's hot copy is out of B's reach …
    expect(status(await a.get("/t9"))).toContain("hit");
    // … for at most the hot TTL.
    a.advance(3);
    expect(status(await a.get("/t9"))).toContain("uri-miss");
  });

  it("clears this isolate's hot cache", async () => {
    const r = await rig(tagged("e:1"), { hot: { maxEntries: 10, maxBytes: 100_000, ttlMs: 3_000 } });
    await r.get("/h");
    await r.edge.purgeTags(["e:1"]);
    expect(status(await r.get("/h"))).toContain("uri-miss");
  });

  it("does not store what a fetch under way at purge time brings back", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((res) => {
      release = res;
    });
    const r = await rig(async (_req, n) => {
      await gate;
      return new Response(`v${n}`, { headers: { "cache-control": "public, max-age=600", "cache-tag": "t" } });
    });
    const pending = r.get("/race");
    await until(() => r.calls.length === 1, "the fetch under way");
    await r.edge.purgeTags(["t"]);
    release();
    expect(await (await pending).text()).toBe("v1");
    r.answer(tagged("t"));
    expect(status(await r.get("/race"))).toContain("uri-miss");
  });
});

describe("edge cache: soft and hard purge", () => {
  const failing = () => new Response("down", { status: 503 });

  it("serves the purged copy when the refill fails (soft purge), and a fresh one when it works", async () => {
    const r = await rig(tagged("event:1"));
    await r.get("/e1");
    await r.edge.purgeTags(["event:1"]);
    r.answer(failing);
    const res = await r.get("/e1");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("page v1");
    expect(status(res)).toContain("fwd=stale");
    expect(status(res)).toContain("purged");
    // The keep copy never stands in while the origin answers.
    r.answer(tagged("event:1"));
    const fresh = await r.get("/e1");
    expect(await fresh.text()).toBe("page v3");
  });

  it("also keeps URL-purged pages for errors", async () => {
    const r = await rig(tagged("x"));
    await r.get("/u?a=1");
    await r.edge.purgeUrls([`${BASE}/u?a=1`]);
    r.answer(failing);
    expect((await r.get("/u?a=1")).status).toBe(200);
  });

  it("leaves nothing to serve after a hard purge, by tag or by URL", async () => {
    const r = await rig(tagged("legal"));
    await r.get("/gone");
    await r.get("/also?x=1");
    await r.edge.purgeTags(["legal"], { hard: true });
    await r.edge.purgeUrls([`${BASE}/also?x=1`], { hard: true });
    r.answer(failing);
    expect((await r.get("/gone")).status).toBe(503);
    expect((await r.get("/also?x=1")).status).toBe(503);
  });

  it("serves no keep copy past its keep window", async () => {
    const r = await rig(tagged("k"));
    await r.get("/old");
    await r.edge.purgeTags(["k"]);
    r.advance(600 + 10 + 300);
    r.answer(failing);
    expect((await r.get("/old")).status).toBe(503);
  });

  it("names the keep tags in a hard purge through Cloudflare's API, and only then", async () => {
    const bodies: Record<string, string[]>[] = [];
    const fetch: PurgeFetch = async (_url, init) => {
      bodies.push(JSON.parse(String(init.body)) as Record<string, string[]>);
      return Response.json({ success: true, errors: [] });
    };
    const r = await rig(page(), { cloudflare: { zoneId: "z", apiToken: "t", fetch } });
    await r.edge.purgeTags(["a"]);
    await r.edge.purgeTags(["b"], { hard: true });
    expect(bodies.map((b) => b.tags)).toEqual([["a"], ["b", "keep:b"]]);
  });
});

describe("edge cache: purge from origin (X-Edge-Purge)", () => {
  it("purges before answering the writer, strips the header and sets the ep_bypass cookie", async () => {
    const r = await rig(tagged("talk:1"));
    await r.get("/talks/1");
    r.answer((req) =>
      req.method === "POST"
        ? new Response(null, {
            status: 303,
            headers: { location: "/talks/1", "x-edge-purge": "talk:1, event:1" },
          })
        : tagged("talk:1")(req, r.calls.length),
    );
    const post = await r.get("/talks/1/comments", { method: "POST", body: "hi" });
    expect(post.status).toBe(303);
    expect(post.headers.has("x-edge-purge")).toBe(false);
    expect(post.headers.get("set-cookie")).toBe(
      `${BYPASS_COOKIE}=1; Max-Age=10; Path=/; HttpOnly; SameSite=Lax`,
    );
    // The purge finished before the answer: the page is already gone.
    expect(await r.cache.match(`${BASE}/talks/1`)).toBeUndefined();

    const writer = await r.get("/talks/1", { headers: { cookie: `${BYPASS_COOKIE}=1` } });
    expect(status(writer)).toContain("fwd=bypass; fwd-status=200; detail=bypass-cookie");
    const reader = await r.get("/talks/1");
    expect(status(reader)).toContain("uri-miss");
    expect(await reader.text()).toBe("page v4");
  });

  it("never stores a GET answer that purged (it carries the writer's cookie)", async () => {
    const r = await rig(page("public, max-age=60", { "x-edge-purge": "x" }));
    const res = await r.get("/p");
    expect(res.headers.get("set-cookie")).toContain(`${BYPASS_COOKIE}=1`);
    expect(status(res)).toContain("detail=purge");
    await r.get("/p");
    expect(r.calls.length).toBe(2);
  });
});

describe("edge cache: production purge through Cloudflare's API", () => {
  function api() {
    const bodies: Record<string, string[]>[] = [];
    const fetch: PurgeFetch = async (_url, init) => {
      bodies.push(JSON.parse(String(init.body)) as Record<string, string[]>);
      return Response.json({ success: true, errors: [] });
    };
    return { bodies, fetch };
  }

  it("batches tags by 100 and purges URLs as files plus their variant tag", async () => {
    const cf = api();
    const r = await rig(page(), { cloudflare: { zoneId: "z", apiToken: "t", fetch: cf.fetch } });
    const tags = Array.from({ length: 150 }, (_, i) => `t${i}`);
    expect((await r.edge.purgeTags(tags)).ok).toBe(true);
    expect(cf.bodies.map((b) => b.tags?.length)).toEqual([100, 50]);

    cf.bodies.length = 0;
    await r.edge.purgeUrls([`${BASE}/talks/1?utm_source=x&b=1`]);
    expect(cf.bodies).toContainEqual({ files: [`${BASE}/talks/1?b=1`] });
    expect(cf.bodies.some((b) => b.tags?.[0]?.startsWith("ep-url:"))).toBe(true);
  });

  it("still clears this data centre's copies it knows of at once", async () => {
    const cf = api();
    const r = await rig(tagged("x"), { cloudflare: { zoneId: "z", apiToken: "t", fetch: cf.fetch } });
    await r.get("/x");
    await r.edge.purgeTags(["x"]);
    expect(status(await r.get("/x"))).toContain("uri-miss");
  });
});
