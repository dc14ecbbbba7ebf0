// Goldens: a personal response can never be stored or reach another visitor, and unkeyed input never poisons.
import { describe, expect, it } from "vitest";
import { until } from "../testing/index.ts";
import { BASE, page, type Rig, rig, status } from "./edge-cache.fixture.ts";

/** An origin that personalises on the session cookie, and (carelessly) marks every page public. */
const personalising = (req: Request, n: number) => {
  const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.get("cookie") ?? "")?.[1];
  const headers = new Headers({ "cache-control": "public, max-age=600" });
  if (sid) headers.append("set-cookie", `sid=${sid}; Path=/; HttpOnly`);
  return new Response(sid ? `Hello ${sid} (#${n})` : `Hello guest (#${n})`, { headers });
};

describe("security goldens", () => {
  it("alice's session page is never stored and never served to bob (anonymous)", async () => {
    const r = await rig(personalising);
    const alice = await r.get("/", { headers: { cookie: "_ga=1; sid=alice" } });
    expect(await alice.text()).toBe("Hello alice (#1)");
    expect(status(alice)).toContain("fwd=bypass");
    expect(await r.cache.match(`${BASE}/`)).toBeUndefined();

    const bob = await r.get("/");
    expect(await bob.text()).toBe("Hello guest (#2)");
    expect(bob.headers.has("set-cookie")).toBe(false);
    expect(await (await r.get("/")).text()).toBe("Hello guest (#2)");
  });

  it("a session request is never answered from the anonymous cache either", async () => {
    const r = await rig(personalising);
    await r.get("/");
    const alice = await r.get("/", { headers: { cookie: "sid=alice" } });
    expect(await alice.text()).toBe("Hello alice (#2)");
    const token = await r.get("/", { headers: { authorization: "Bearer x" } });
    expect(status(token)).toContain("detail=authorization");
    expect(r.calls.length).toBe(3);
  });

  it("an anonymous answer with Set-Cookie is not stored, nor shared with coalesced waiters", async () => {
    const r: Rig = await rig(async (_req, n) => {
      await until(() => r.lookups() >= 4, "4 lookups");
      return new Response(`csrf #${n}`, {
        headers: { "cache-control": "public, max-age=600", "set-cookie": `csrf=${n}` },
      });
    });
    const all = await r.burst(4, "/form");
    const cookies = all.map((res) => res.headers.get("set-cookie"));
    expect(new Set(cookies).size).toBe(4); // each visitor got its own cookie
    for (const res of all) expect(await res.text()).toBe(`csrf #${res.headers.get("set-cookie")?.slice(5)}`);
    expect(await r.cache.match(`${BASE}/form`)).toBeUndefined();
  });

  it("origin never sees cookies or unkeyed headers on a cacheable request", async () => {
    const r = await rig(page());
    await r.get("/", {
      headers: {
        cookie: "_ga=GA1; _fbp=fb; utm_campaign=c",
        "x-forwarded-host": "evil.test",
        "x-original-url": "/admin",
        accept: "application/json",
      },
    });
    expect([...(r.calls[0]?.headers.keys() ?? [])]).toEqual([]);
  });

  it("a poisoning attempt through an unkeyed header cannot change the stored page", async () => {
    // An origin that reflects X-Forwarded-Host into links: the classic poisoning target.
    const r = await rig((req) => {
      const host = req.headers.get("x-forwarded-host") ?? "events.test";
      return new Response(`<a href="https://${host}/x">`, {
        headers: { "cache-control": "public, max-age=60" },
      });
    });
    await r.get("/", { headers: { "x-forwarded-host": "evil.test" } });
    const victim = await r.get("/");
    expect(await victim.text()).toBe('<a href="https://events.test/x">');
  });

  it("a tracking param reflected by origin never reaches the stored page", async () => {
    const r = await rig(
      (req) => new Response(`q=${new URL(req.url).search}`, { headers: { "cache-control": "public" } }),
    );
    await r.get("/?utm_source=<script>");
    expect(await (await r.get("/")).text()).toBe("q=");
  });

  it("a private answer is passed, never stored, and remembered as hit-for-pass", async () => {
    const r = await rig(page("private, max-age=600"));
    await r.get("/me");
    expect(status(await r.get("/me"))).toContain("hit-for-pass");
    expect(await r.cache.match(`${BASE}/me`)).toBeUndefined();
  });
});
