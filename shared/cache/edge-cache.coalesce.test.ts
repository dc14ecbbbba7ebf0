// Tests: Engine: one origin fetch per key for concurrent misses, and hit-for-pass.

import { describe, expect, it } from "vitest";
import { CACHE_NAME } from "../site/index.ts";
import { until } from "../testing/index.ts";
import { page, type Rig, rig, status } from "./edge-cache.fixture.ts";

/** An origin that answers once `requests` lookups have been answered: every request of the burst is waiting. */
const held =
  (r: () => Rig, requests: number, cc = "public, max-age=60", extra: Record<string, string> = {}) =>
  async (_req: Request, n: number) => {
    await until(() => r().lookups() >= requests, `${requests} lookups`);
    return new Response(`page v${n} ${"x".repeat(1000)}`, { headers: { "cache-control": cc, ...extra } });
  };

describe("edge cache: request coalescing", () => {
  it("sends 50 concurrent misses for one key to origin ONCE, each with a full body", async () => {
    const r: Rig = await rig(held(() => r, 50));
    const all = await r.burst(50, "/talks/1");
    expect(r.calls.length).toBe(1);
    const bodies = await Promise.all(all.map((res) => res.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toMatch(/^page v1 x{1000}$/);
    const statuses = all.map(status);
    expect(statuses.filter((s) => s.includes("collapsed")).length).toBe(49);
    expect(statuses.every((s) => s.includes("stored"))).toBe(true);
  });

  it("does not coalesce different keys", async () => {
    const r: Rig = await rig(held(() => r, 3));
    await Promise.all([r.get("/a"), r.get("/b"), r.get("/a?utm_source=x")]);
    expect(r.calls.map((c) => new URL(c.url).pathname).sort()).toEqual(["/a", "/b"]);
  });

  it("never hands a waiter a personal answer: waiters fetch on their own", async () => {
    const r: Rig = await rig(held(() => r, 5, "private, max-age=60", { "set-cookie": "csrf=abc" }));
    const all = await r.burst(5, "/form");
    // The leader's Set-Cookie reaches the leader only; the 4 waiters each went to origin themselves.
    expect(r.calls.length).toBe(5);
    const bodies = await Promise.all(all.map((res) => res.text()));
    expect(new Set(bodies).size).toBe(5);
  });
});

describe("edge cache: hit-for-pass", () => {
  it("remembers an uncacheable answer and stops queueing requests behind each other", async () => {
    const r = await rig(page("no-store"), { policy: { defaults: { hitForPass: 120 } } });
    const first = await r.get("/live");
    expect(status(first)).toContain("detail=no-store");
    const burst = await r.burst(5, "/live");
    expect(r.calls.length).toBe(6);
    for (const res of burst)
      expect(status(res)).toBe(`${CACHE_NAME}; fwd=miss; fwd-status=200; detail=hit-for-pass`);
  });

  it("expires after the route's hitForPass seconds; each uncacheable answer renews it", async () => {
    const r = await rig(page("no-store"), { policy: { defaults: { hitForPass: 30 } } });
    await r.get("/x");
    r.advance(29);
    expect(status(await r.get("/x"))).toContain("hit-for-pass"); // renewed until 59
    r.advance(29);
    expect(status(await r.get("/x"))).toContain("hit-for-pass");
    r.advance(31);
    expect(status(await r.get("/x"))).toContain("fwd=uri-miss");
  });

  it("stores again as soon as origin says the page is cacheable (hit-for-miss)", async () => {
    const r = await rig(page("no-store"));
    await r.get("/y");
    r.answer(page("public, max-age=60"));
    expect(status(await r.get("/y"))).toBe(`${CACHE_NAME}; fwd=miss; fwd-status=200; stored`);
    expect(status(await r.get("/y"))).toContain("hit");
    expect(r.calls.length).toBe(2);
  });

  it("is not set by a 5xx (an error says nothing about cacheability)", async () => {
    const r = await rig(() => new Response("down", { status: 503 }));
    await r.get("/z");
    r.answer(page());
    expect(status(await r.get("/z"))).toContain("fwd=uri-miss; fwd-status=200; stored");
  });
});
