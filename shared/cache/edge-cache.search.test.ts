// Tests: long-tail routes (searches): the route's canonical query keys the page and is what origin sees; pages
// are stored from their Nth request; purge by URL reaches the canonical page.
import { describe, expect, it } from "vitest";
import { page, rig, status } from "./edge-cache.fixture.ts";

// A canonical query like a search route's: only q, lower-cased, spaces collapsed.
const query = (p: URLSearchParams) => {
  const q = (p.get("q") ?? "").trim().toLowerCase().replace(/\s+/g, " ");
  return q ? new URLSearchParams({ q }).toString() : "";
};
const policy = {
  defaults: { ttl: 60, grace: 10, keep: 300 },
  routes: [{ path: "/search", query, popularity: { uses: 2, windowSeconds: 60 } }],
};

describe("a route with a canonical query and a popularity threshold", () => {
  it("keys spellings of one search as one page, and origin sees only the canonical URL", async () => {
    const r = await rig(page(), { policy: { routes: [{ path: "/search", query }] } });
    await r.get("/search?q=Grace%20%20Mode&utm_source=x&page=9");
    const second = await r.get("/search?q=grace+mode");
    expect(status(second)).toMatch(/; hit/);
    expect(r.calls.map((c) => c.url)).toEqual(["https://events.test/search?q=grace+mode"]);
  });

  it("does not store a page until it has been asked for twice in the window", async () => {
    const r = await rig(page(), { policy });
    const first = await r.get("/search?q=rare");
    expect(status(first)).toMatch(/fwd=uri-miss.*detail=unpopular/);
    const second = await r.get("/search?q=RARE");
    expect(status(second)).toMatch(/fwd=uri-miss.*stored/);
    expect(status(await r.get("/search?q=rare"))).toMatch(/; hit/);
    expect(r.calls).toHaveLength(2);
  });

  it("counts uses per window: two requests a window apart are both one-offs", async () => {
    const r = await rig(page(), { policy });
    await r.get("/search?q=once");
    r.advance(61);
    expect(status(await r.get("/search?q=once"))).toMatch(/detail=unpopular/);
  });

  it("refreshes a stored page as usual even when this window has not seen it twice", async () => {
    const r = await rig(page("public, max-age=60"), { policy });
    await r.get("/search?q=x");
    await r.get("/search?q=x");
    r.advance(65);
    expect(status(await r.get("/search?q=x"))).toMatch(/hit.*stale-while-revalidate/);
    r.advance(1);
    expect(status(await r.get("/search?q=x"))).toMatch(/; hit/);
    expect(r.calls).toHaveLength(2 + 1);
  });

  it("purges the canonical page whatever spelling of the URL is purged", async () => {
    const r = await rig(page(), { policy: { routes: [{ path: "/search", query }] } });
    await r.get("/search?q=edge");
    await r.edge.purgeUrls(["https://events.test/search?q=EDGE&utm_medium=mail"]);
    expect(status(await r.get("/search?q=edge"))).toMatch(/fwd=uri-miss/);
  });
});
