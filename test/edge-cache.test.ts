// As a user meets it: anonymous caching, session bypass, grace, keep, purge on write — through the real edge.

import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CACHE_NAME } from "../shared/site/index.ts";

const site = "http://edgeplate.test";

async function get(path: string, init?: RequestInit) {
  const res = await SELF.fetch(`${site}${path}`, init);
  const body = await res.text();
  return { res, body, status: res.headers.get("cache-status") ?? "" };
}

describe("edge cache through the real origin", () => {
  it("stores an anonymous page and serves the second request as a hit with Age", async () => {
    const path = `/?t=${crypto.randomUUID()}`;
    const first = await get(path);
    expect(first.res.status).toBe(200);
    expect(first.status).toContain("fwd=uri-miss");
    expect(first.status).toContain("stored");
    const second = await get(path);
    expect(second.status).toMatch(`${CACHE_NAME}; hit`);
    expect(second.res.headers.get("age")).not.toBeNull();
    expect(second.body).toBe(first.body);
  });

  it("ignores tracking parameters in the key", async () => {
    const id = crypto.randomUUID();
    await get(`/?t=${id}`);
    const tracked = await get(`/?utm_source=news&t=${id}&gclid=abc`);
    expect(tracked.status).toMatch(/hit/);
  });

  it("never serves the cached page to a session, and never stores the session's page", async () => {
    const path = `/?t=${crypto.randomUUID()}`;
    await get(path);
    const withSession = await get(path, { headers: { cookie: "sid=dev-session-ada" } });
    expect(withSession.status).toContain("fwd=bypass");
    expect(withSession.body).toContain("My account");
    const anonAgain = await get(path);
    expect(anonAgain.status).toMatch(/hit/);
    expect(anonAgain.body).not.toContain("My account");
  });

  it("cannot be poisoned by an unkeyed X-Forwarded-Host header", async () => {
    const path = `/?t=${crypto.randomUUID()}`;
    const poisoned = await get(path, { headers: { "x-forwarded-host": "evil.example" } });
    expect(poisoned.body).not.toContain("evil.example");
    const victim = await get(path);
    expect(victim.body).not.toContain("evil.example");
  });
});
