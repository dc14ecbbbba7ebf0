// Tests: Engine: miss/hit/HEAD, keys, variants and what reaches the client.

import { describe, expect, it } from "vitest";
import { CACHE_NAME, HEADER_PREFIX } from "../site/index.ts";
import { page, rig, status } from "./edge-cache.fixture.ts";

describe("edge cache: miss, hit, HEAD", () => {
  it("stores a miss and serves the next request as a hit with Age and Cache-Status", async () => {
    const r = await rig(page());
    const miss = await r.get("/talks/1");
    expect(await miss.text()).toBe("page v1");
    expect(status(miss)).toBe(`${CACHE_NAME}; fwd=uri-miss; fwd-status=200; stored`);
    expect(miss.headers.get("age")).toBe("0");

    r.advance(12);
    const hit = await r.get("/talks/1");
    expect(await hit.text()).toBe("page v1");
    expect(status(hit)).toBe(`${CACHE_NAME}; hit; ttl=48`);
    expect(hit.headers.get("age")).toBe("12");
    expect(hit.headers.get("cache-control")).toBe("public, max-age=60");
    expect(r.calls.length).toBe(1);
  });

  it("never shows internal or tag headers to the client", async () => {
    const r = await rig(page("public, max-age=60", { "cache-tag": "talk:1" }));
    for (const res of [await r.get("/t"), await r.get("/t")]) {
      const names = [...res.headers.keys()];
      expect(
        names.filter((n) => n.startsWith(HEADER_PREFIX) || n === "cache-tag" || n === "cf-cache-status"),
      ).toEqual([]);
    }
  });

  it("serves HEAD from the GET object, and a HEAD miss fetches GET once for both", async () => {
    const r = await rig(page());
    const head = await r.get("/h", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(r.calls[0]?.method).toBe("GET");
    const get = await r.get("/h");
    expect(await get.text()).toBe("page v1");
    expect(status(get)).toContain("hit");
    const head2 = await r.get("/h", { method: "HEAD" });
    expect(status(head2)).toContain("hit");
    expect(r.calls.length).toBe(1);
  });

  it("shares one object across tracking params and query order, and sends origin the clean URL", async () => {
    const r = await rig(page());
    await r.get("/e?b=2&a=1&utm_source=newsletter&fbclid=x");
    const hit = await r.get("/e?a=1&b=2&gclid=y");
    expect(status(hit)).toContain("hit");
    expect(r.calls.map((c) => c.url)).toEqual(["https://events.test/e?a=1&b=2"]);
  });

  it("splits variants by keyParts (flags folded into the key)", async () => {
    const r = await rig((_req, n) => new Response(`v${n}`, { headers: { "cache-control": "public" } }));
    expect(await (await r.get("/t", undefined, { "flag:new-talk-page": "on" })).text()).toBe("v1");
    expect(await (await r.get("/t", undefined, { "flag:new-talk-page": "off" })).text()).toBe("v2");
    expect(await (await r.get("/t", undefined, { "flag:new-talk-page": "on" })).text()).toBe("v1");
    expect(r.calls.length).toBe(2);
  });

  it("splits by the route's varyOn header and forwards only that header", async () => {
    const r = await rig(
      (req) =>
        new Response(`lang=${req.headers.get("accept-language")}`, {
          headers: { "cache-control": "public", vary: "Accept-Language" },
        }),
      {
        policy: { routes: [{ path: "/i18n/**", varyOn: ["accept-language"] }] },
      },
    );
    expect(await (await r.get("/i18n/x", { headers: { "accept-language": "fr" } })).text()).toBe("lang=fr");
    expect(await (await r.get("/i18n/x", { headers: { "accept-language": "en" } })).text()).toBe("lang=en");
    const fr = await r.get("/i18n/x", { headers: { "accept-language": "fr" } });
    expect(await fr.text()).toBe("lang=fr");
    expect(fr.headers.get("vary")).toBe("Accept-Language");
    expect(r.calls.length).toBe(2);
  });

  it("does not store a response whose Vary the key does not cover", async () => {
    const r = await rig(page("public, max-age=60", { vary: "User-Agent" }));
    await r.get("/v");
    await r.get("/v");
    expect(r.calls.length).toBe(2);
  });

  it("passes bypassed routes and unsafe methods with Cache-Status fwd=bypass / fwd=method", async () => {
    const r = await rig(page(), { policy: { routes: [{ path: "/admin/**", bypass: true }] } });
    expect(status(await r.get("/admin/x"))).toBe(`${CACHE_NAME}; fwd=bypass; fwd-status=200; detail=route`);
    expect(status(await r.get("/admin/x"))).toContain("fwd=bypass");
    expect(status(await r.get("/talks", { method: "POST", body: "x" }))).toBe(
      `${CACHE_NAME}; fwd=method; fwd-status=200; detail=method`,
    );
    expect(r.calls.length).toBe(3);
  });

  it("treats an object past ttl + grace + keep as a miss", async () => {
    const r = await rig(page());
    await r.get("/d");
    r.advance(60 + 10 + 300);
    const res = await r.get("/d");
    expect(await res.text()).toBe("page v2");
    expect(status(res)).toContain("fwd=uri-miss");
  });

  it("passes 206 and 5xx-free odd statuses through without storing", async () => {
    const r = await rig(
      () => new Response("part", { status: 206, headers: { "cache-control": "public, max-age=60" } }),
    );
    await r.get("/p");
    await r.get("/p");
    expect(r.calls.length).toBe(2);
  });
});
