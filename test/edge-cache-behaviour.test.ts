// The edge cache in depth through the real edge → origin path: grace, coalescing, keep, hit-for-pass, golden safety, purge.

import { describe, expect, it } from "vitest";
import { BYPASS_COOKIE } from "../shared/cache/index.ts";
import { CACHE_NAME } from "../shared/site/index.ts";
import { admin, eventually, HUMAN, SITE, site } from "./helpers.ts";

/** Asks for `path` until an answer passes `ok`: waiting for a copy to age is polling, never a fixed sleep. */
const firstWhere = (path: string, ok: (r: Awaited<ReturnType<typeof site>>) => boolean, timeoutMs = 5_000) =>
  eventually(
    async () => {
      const r = await site(path);
      return ok(r) ? r : undefined;
    },
    timeoutMs,
    50,
  );
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;

/** The test page; its query is part of the cache key, so every request for one test must use the same one. */
const page = (name: string, query: string) => `/_test/page/${name}?${query}`;

/** Origin hits counted by the page itself (a bypassed route, so the count is never cached). */
async function hits(name: string): Promise<number> {
  const { body } = await site(`/_test/hits/${name}`);
  return (JSON.parse(body) as { hits: number }).hits;
}

/** RFC 9211: `cache-name; param; param=value…`, every parameter one the RFC defines, with the right type. */
function parseCacheStatus(header: string): { cache: string; params: Map<string, string | true> } {
  const [cache = "", ...rest] = header.split(";").map((s) => s.trim());
  const params = new Map<string, string | true>();
  for (const p of rest) {
    const eq = p.indexOf("=");
    if (eq < 0) params.set(p, true);
    else params.set(p.slice(0, eq), p.slice(eq + 1));
  }
  return { cache, params };
}

const FWD = new Set(["bypass", "method", "uri-miss", "vary-miss", "miss", "request", "stale", "partial"]);
const SF_TOKEN = /^[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]*$/;
const SF_STRING = /^"(?:[^"\\]|\\["\\])*"$/;

function expectRfc9211(header: string): void {
  const { cache, params } = parseCacheStatus(header);
  expect(cache).toBe(CACHE_NAME);
  for (const [name, v] of params) {
    if (name === "hit" || name === "stored" || name === "collapsed") expect(v, name).toBe(true);
    else if (name === "fwd") expect(FWD.has(String(v)), `fwd=${String(v)}`).toBe(true);
    else if (name === "fwd-status") expect(String(v)).toMatch(/^[1-5]\d\d$/);
    else if (name === "ttl") expect(String(v)).toMatch(/^-?\d+$/);
    else if (name === "key") expect(String(v)).toMatch(SF_STRING);
    else if (name === "detail") expect(SF_TOKEN.test(String(v)) || SF_STRING.test(String(v))).toBe(true);
    else throw new Error(`Cache-Status parameter not in RFC 9211: ${name} (${header})`);
  }
  // A hit is served from cache without a forward; the two never appear together.
  expect(params.has("hit") && params.has("fwd")).toBe(false);
}

describe("grace (stale-while-revalidate)", () => {
  it("serves stale at once and revalidates exactly once, even under 20 concurrent requests", async () => {
    const name = unique("grace");
    // The delay makes the single background refresh slow, so "at once" and "only one" are both visible.
    const path = page(name, "ttl=1&swr=30&delay=800");
    const first = await site(path);
    expect(first.body).toBe(`${name}:1`);
    expect(first.cacheStatus).toContain("stored");
    // Hits until the copy is stale; the request that finds it stale starts the one refresh.
    const firstStale = await firstWhere(path, (r) => r.cacheStatus.includes("stale-while-revalidate"));

    const started = Date.now();
    const stale = await Promise.all(Array.from({ length: 20 }, () => site(path)));
    const elapsed = Date.now() - started;
    // The stale copy is delivered without waiting for the 800 ms origin.
    expect(elapsed).toBeLessThan(600);
    for (const r of [firstStale, ...stale]) {
      expect(r.res.status).toBe(200);
      expect(r.body).toBe(`${name}:1`);
      const { params } = parseCacheStatus(r.cacheStatus);
      expect(params.get("hit")).toBe(true);
      expect(Number(params.get("ttl"))).toBeLessThan(0);
      expect(params.get("detail")).toBe("stale-while-revalidate");
      expectRfc9211(r.cacheStatus);
      expect(Number(r.res.headers.get("age"))).toBeGreaterThanOrEqual(1);
    }
    // The page counts a hit as it starts, so the one refresh is visible before it finishes.
    expect(await hits(name)).toBe(2);

    // Once the refresh lands, a fresh copy is served: no detail, ttl back to positive.
    const fresh = await firstWhere(path, (r) => r.body === `${name}:2`);
    const { params } = parseCacheStatus(fresh.cacheStatus);
    expect(params.get("hit")).toBe(true);
    expect(Number(params.get("ttl"))).toBeGreaterThan(0);
    expect(params.has("detail")).toBe(false);
    expect(await hits(name)).toBe(2);
  });
});

describe("request coalescing", () => {
  it("sends 50 concurrent requests for one cold key to origin once", async () => {
    const name = unique("coalesce");
    const path = page(name, "ttl=60&delay=200");
    const all = await Promise.all(Array.from({ length: 50 }, () => site(path)));
    expect(await hits(name)).toBe(1);
    for (const r of all) {
      expect(r.res.status).toBe(200);
      expect(r.body).toBe(`${name}:1`);
      expect(r.cacheStatus).toContain("fwd=uri-miss");
      expect(r.cacheStatus).toContain("stored");
      expectRfc9211(r.cacheStatus);
    }
    // Exactly one request led the fetch; the other 49 waited on it (RFC 9211 "collapsed").
    expect(all.filter((r) => r.cacheStatus.includes("collapsed"))).toHaveLength(49);
    const after = await site(path);
    expect(after.cacheStatus).toMatch(new RegExp(`^${CACHE_NAME}; hit; ttl=\\d+$`));
    expect(await hits(name)).toBe(1);
  });
});

describe("keep (stale-if-error)", () => {
  it("serves the good copy when origin answers 5xx, and the 5xx never replaces it", async () => {
    const name = unique("keep");
    // s-maxage with no swr: no grace, so once stale every request goes to origin, which now fails.
    const path = page(name, "ttl=1&sie=600&failAfter=1");
    const good = await site(path);
    expect(good.res.status).toBe(200);
    expect(good.cacheStatus).toContain("stored");
    // Hits until the copy is stale; the request that finds it so is the first to ask origin (which now fails).
    const firstStale = await firstWhere(path, (r) => r.cacheStatus.includes("fwd="));

    for (const n of [2, 3]) {
      const r = n === 2 ? firstStale : await site(path);
      expect(r.res.status).toBe(200);
      expect(r.body).toBe(`${name}:1`);
      const { params } = parseCacheStatus(r.cacheStatus);
      expect(params.get("fwd")).toBe("stale");
      expect(params.get("fwd-status")).toBe("503");
      expect(params.get("detail")).toBe("stale-if-error");
      expect(params.has("stored")).toBe(false);
      expect(Number(params.get("ttl"))).toBeLessThan(0);
      expectRfc9211(r.cacheStatus);
      // Each request really asked origin (no grace), and each 5xx was thrown away.
      expect(await hits(name)).toBe(n);
    }
  });

  it("without stale-if-error the 5xx reaches the client and nothing is stored", async () => {
    const name = unique("nokeep");
    const path = page(name, "ttl=1&failAfter=1");
    await site(path);
    const failed = await firstWhere(path, (r) => r.res.status !== 200);
    expect(failed.res.status).toBe(503);
    expect(failed.body).toBe(`${name}:2`);
    expect(failed.cacheStatus).toContain("fwd-status=503");
    expect(failed.cacheStatus).not.toContain("stored");
    expect(failed.cacheStatus).not.toContain("hit");
  });
});

describe("hit-for-pass", () => {
  it("never stores a Set-Cookie answer, and its requests go to origin uncoalesced", async () => {
    const name = unique("hfp-cookie");
    const path = page(name, "ttl=60&cookie=pref%3Dblue");
    const first = await site(path);
    expect(first.body).toBe(`${name}:1`);
    expect(first.cacheStatus).toContain("fwd=uri-miss");
    expect(first.cacheStatus).toContain("detail=set-cookie");
    expect(first.cacheStatus).not.toContain("stored");

    // Another visitor gets their own origin answer, never the first one's.
    const second = await site(path);
    expect(second.body).toBe(`${name}:2`);
    expect(second.cacheStatus).toContain("fwd=miss");
    expect(second.cacheStatus).toContain("detail=hit-for-pass");
    expect(second.cacheStatus).not.toMatch(/; hit\b/);

    // Marked uncacheable: concurrent requests each go to origin at once instead of queuing on each other.
    const burst = await Promise.all(Array.from({ length: 10 }, () => site(path)));
    for (const r of burst) {
      expect(r.cacheStatus).toContain("detail=hit-for-pass");
      expect(r.cacheStatus).not.toContain("collapsed");
      expectRfc9211(r.cacheStatus);
    }
    expect(new Set(burst.map((r) => r.body)).size).toBe(10);
    expect(await hits(name)).toBe(12);
  });

  it("never stores a private answer", async () => {
    const name = unique("hfp-private");
    const path = page(name, "cc=private&ttl=60");
    const first = await site(path);
    expect(first.cacheStatus).toContain("detail=private");
    expect(first.res.headers.get("cache-control")).toContain("private");
    const second = await site(path);
    expect(second.body).toBe(`${name}:2`);
    expect(second.cacheStatus).toContain("detail=hit-for-pass");
    expect(await hits(name)).toBe(2);
  });
});

describe("golden safety: sessions and the shared cache", () => {
  const ada = { cookie: "theme=dark; sid=dev-session-ada" };

  it("never stores a session's page, even one the origin marks public", async () => {
    const name = unique("golden");
    const path = page(name, "ttl=60");
    const personal = await site(path, { headers: ada });
    expect(personal.cacheStatus).toContain("fwd=bypass");
    expect(personal.cacheStatus).toContain("detail=session");
    expect(personal.cacheStatus).not.toContain("stored");
    expectRfc9211(personal.cacheStatus);
    const anon = await site(path);
    expect(anon.body).toBe(`${name}:2`);
    expect(anon.cacheStatus).toContain("fwd=uri-miss");
    expect(anon.cacheStatus).toContain("stored");
    // …and the anonymous copy now stored is never served to the session.
    const personalAgain = await site(path, { headers: ada });
    expect(personalAgain.body).toBe(`${name}:3`);
    expect(personalAgain.cacheStatus).toContain("fwd=bypass");
  });

  it("keeps the signed-in home page away from anonymous visitors, whichever comes first", async () => {
    const path = `/?t=${crypto.randomUUID()}`;
    const personal = await site(path, { headers: ada });
    expect(personal.body).toContain("My account");
    expect(personal.res.headers.get("cache-control")).toContain("private");
    expect(personal.cacheStatus).toContain("fwd=bypass");
    const anon = await site(path);
    expect(anon.cacheStatus).toContain("fwd=uri-miss");
    expect(anon.body).not.toContain("My account");
    expect(anon.body).toContain("Sign in");
    const anonHit = await site(path);
    expect(anonHit.cacheStatus).toMatch(/; hit\b/);
    expect(anonHit.body).not.toContain("My account");
    // An Authorization header makes a request personal too.
    const authed = await site(path, { headers: { authorization: "Bearer x" } });
    expect(authed.cacheStatus).toContain("detail=authorization");
  });

  it("never caches /me", async () => {
    const me = await site("/me", { headers: ada });
    expect(me.res.status).toBe(200);
    expect(me.body).toContain("My account");
    expect(me.cacheStatus).toContain("fwd=bypass");
    const anon = await site("/me");
    expect(anon.res.status).toBe(303);
    expect(anon.body).not.toContain("My account");
    expect(anon.cacheStatus).not.toMatch(/; hit\b/);
  });
});

describe("purge", () => {
  const slug = "edge-summit-2027";
  const count = (html: string) => Number(/id="count">(\d+)</.exec(html)?.[1] ?? Number.NaN);

  /** Caches a unique copy of the event page (the event's tag still reaches it), then registers anonymously. */
  async function cacheThenRegister() {
    const path = `/events/${slug}?t=${crypto.randomUUID()}`;
    const before = await site(path);
    expect(before.cacheStatus).toContain("stored");
    expect((await site(path)).cacheStatus).toMatch(/; hit\b/);
    const write = await site(`/events/${slug}/register`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ ...HUMAN, name: "Purge Test", email: `${crypto.randomUUID()}@purge.test` }),
    });
    expect(write.res.status).toBe(201);
    return { path, before, write };
  }

  it("a registration purges the event page: the next anonymous visitor misses", async () => {
    const { path, write } = await cacheThenRegister();
    expect(write.res.headers.get("x-edge-purge")).toBeNull();
    expect(write.res.headers.getSetCookie().some((c) => c.startsWith(`${BYPASS_COOKIE}=1`))).toBe(true);
    const after = await site(path);
    expect(after.cacheStatus).toContain("fwd=uri-miss");
  });

  it("the page refilled after that purge shows the new registration count", async () => {
    const { path, before } = await cacheThenRegister();
    const after = await site(path);
    expect(after.cacheStatus).toContain("fwd=uri-miss");
    // Where the refill read from, for the failure message: a replica still replaying the write shows the old count.
    const routes = after.res.headers.get("x-db-routes");
    expect(count(after.body), `refill read via ${routes}`).toBe(count(before.body) + 1);
  });

  it("a form registration redirects the writer, who then reads past the cache", async () => {
    const write = await site(`/events/${slug}/register`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({
        ...HUMAN,
        name: "Form Test",
        email: `${crypto.randomUUID()}@purge.test`,
      }).toString(),
    });
    expect(write.res.status).toBe(303);
    expect(write.res.headers.get("location")).toBe(`/events/${slug}?registered=1`);
    const bypass = write.res.headers.getSetCookie().find((c) => c.startsWith(`${BYPASS_COOKIE}=`));
    expect(bypass).toBeDefined();
    const next = await site(`/events/${slug}?registered=1`, {
      headers: { cookie: (bypass ?? "").split(";")[0] ?? "" },
    });
    expect(next.res.status).toBe(200);
    expect(next.cacheStatus).toContain("detail=bypass-cookie");
  });

  it("purges by tag and by URL through the admin API", async () => {
    const tag = unique("tag");
    const byTag = unique("purge-tag");
    const byUrl = unique("purge-url");
    const tagged = page(byTag, `ttl=60&tag=${tag}`);
    const plain = page(byUrl, "ttl=60");
    for (const p of [tagged, plain]) {
      await site(p);
      expect((await site(p)).cacheStatus).toMatch(/; hit\b/);
    }

    const t = await admin("POST", "/_admin/purge", { tags: [tag] });
    expect(t.res.status).toBe(200);
    expect(t.json).toMatchObject({ tags: { ok: true, items: 1 } });
    const afterTag = await site(tagged);
    expect(afterTag.cacheStatus).toContain("fwd=uri-miss");
    expect(afterTag.body).toBe(`${byTag}:2`);
    // The other page did not carry the tag and is still cached.
    expect((await site(plain)).cacheStatus).toMatch(/; hit\b/);

    // Tracking parameters in the purged URL do not matter: it names the same page.
    const u = await admin("POST", "/_admin/purge", { urls: [`${SITE}${plain}&utm_source=x`] });
    expect(u.res.status).toBe(200);
    expect(u.json).toMatchObject({ urls: { ok: true } });
    const afterUrl = await site(plain);
    expect(afterUrl.cacheStatus).toContain("fwd=uri-miss");
    expect(afterUrl.body).toBe(`${byUrl}:2`);

    const refused = await site("/_admin/purge", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tags: [tag] }),
    });
    expect(refused.res.status).toBe(401);
  });
});

describe("Age and Cache-Status", () => {
  it("Age grows and ttl shrinks on hits, in the RFC 9211 shape", async () => {
    const name = unique("age");
    const path = page(name, "ttl=60");
    const miss = await site(path);
    expectRfc9211(miss.cacheStatus);
    expect(miss.cacheStatus).toBe(`${CACHE_NAME}; fwd=uri-miss; fwd-status=200; stored`);

    const hit1 = await site(path);
    expectRfc9211(hit1.cacheStatus);
    const age1 = Number(hit1.res.headers.get("age"));
    const ttl1 = Number(parseCacheStatus(hit1.cacheStatus).params.get("ttl"));
    expect(age1).toBeLessThanOrEqual(1);
    expect(ttl1).toBeGreaterThanOrEqual(59);

    // Hits (the page is fresh for a minute) until the copy is two seconds older.
    const hit2 = await firstWhere(path, (r) => Number(r.res.headers.get("age")) >= age1 + 2);
    expectRfc9211(hit2.cacheStatus);
    const age2 = Number(hit2.res.headers.get("age"));
    const ttl2 = Number(parseCacheStatus(hit2.cacheStatus).params.get("ttl"));
    expect(age2).toBeGreaterThanOrEqual(age1 + 2);
    expect(ttl2).toBeLessThanOrEqual(ttl1 - 2);
    expect(hit2.body).toBe(`${name}:1`);
  });
});
