// Read-only mode end to end: the edge refuses writes politely, reads keep working, and Postgres refuses the rest.
import { env } from "cloudflare:test";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { admin, eventually, HUMAN, site, sql } from "./helpers.ts";

const SLUG = "edge-summit-2027";
const REASON = "Database upgrade in progress";
const RETRY_AFTER = 123;
const ada = { cookie: "sid=dev-session-ada" };
/** Until the origin's own copy of the switch (held in its isolate's memory) says `on`. */
async function originSees(on: boolean) {
  await eventually(async () => {
    const res = await env.ORIGIN.fetch("https://origin.internal/healthz");
    await res.body?.cancel();
    return res.headers.get("x-db-read-only") === (on ? "on" : "off");
  });
}

async function switchReadOnly(on: boolean) {
  const r = await admin(
    "PUT",
    "/_admin/readonly",
    on ? { on, reason: REASON, retryAfter: RETRY_AFTER } : { on },
  );
  expect(r.res.status).toBe(200);
  // The edge caches the switch for ~2 s per isolate: wait until it shows.
  await eventually(
    async () => (await site(`/?probe=${crypto.randomUUID()}`)).res.headers.has("x-read-only") === on,
  );
}

function register(email: string, accept: string, init: { form?: boolean } = {}) {
  const body = { ...HUMAN, name: "Read Only", email };
  return site(`/events/${SLUG}/register`, {
    method: "POST",
    headers: {
      accept,
      "content-type": init.form ? "application/x-www-form-urlencoded" : "application/json",
    },
    body: init.form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
}

async function registrationsFor(email: string): Promise<number> {
  const rows = await sql()`select count(*)::int as n from registrations where email = ${email}`;
  return Number(rows[0]?.n);
}

const eventCount = async () =>
  Number((await sql()`select registrations_count as n from events where slug = ${SLUG}`)[0]?.n);

afterEach(async () => {
  // Always restore the global switch, whatever the test did.
  await admin("PUT", "/_admin/readonly", { on: false });
});

afterAll(async () => {
  // The origin keeps its own copy of the switch: the next file must start writable.
  await originSees(false);
});

describe("read-only mode", () => {
  it("refuses writes with 503 + Retry-After: JSON for API clients, a page for browsers", async () => {
    await switchReadOnly(true);
    const email = `${crypto.randomUUID()}@readonly.test`;

    const api = await register(email, "application/json");
    expect(api.res.status).toBe(503);
    expect(api.res.headers.get("retry-after")).toBe(String(RETRY_AFTER));
    expect(api.res.headers.get("cache-control")).toBe("no-store");
    expect(api.res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(JSON.parse(api.body)).toEqual({ error: "read_only", message: REASON, retryAfter: RETRY_AFTER });

    const browser = await register(email, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", { form: true });
    expect(browser.res.status).toBe(503);
    expect(browser.res.headers.get("retry-after")).toBe(String(RETRY_AFTER));
    expect(browser.res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(browser.body).toContain("<h1>Read-only mode: your change was not saved</h1>");
    expect(browser.body).toContain(REASON);

    expect(await registrationsFor(email)).toBe(0);
  });

  it("keeps reads working, marked and bannered, with cached copies left banner-free", async () => {
    const path = `/?t=${crypto.randomUUID()}`;
    const before = await site(path);
    expect(before.cacheStatus).toContain("stored");
    expect(before.body).not.toContain("readonly-banner");

    await switchReadOnly(true);
    const during = await site(path);
    expect(during.res.status).toBe(200);
    expect(during.cacheStatus).toMatch(/; hit\b/);
    expect(during.res.headers.get("x-read-only")).toBe("on");
    expect(during.body).toContain('class="readonly-banner"');
    expect(during.body).toContain(REASON);

    const event = await site(`/events/${SLUG}?t=${crypto.randomUUID()}`);
    expect(event.res.status).toBe(200);
    expect(event.res.headers.get("x-read-only")).toBe("on");
    expect(event.body).toContain('class="readonly-banner"');

    await switchReadOnly(false);
    const after = await site(path);
    expect(after.cacheStatus).toMatch(/; hit\b/);
    expect(after.res.headers.get("x-read-only")).toBeNull();
    expect(after.body).not.toContain("readonly-banner");
  });

  it("gives a signed-in visitor the anonymous (cacheable) view", async () => {
    const path = `/?t=${crypto.randomUUID()}`;
    const normally = await site(path, { headers: ada });
    expect(normally.body).toContain("My account");
    expect(normally.cacheStatus).toContain("fwd=bypass");

    await switchReadOnly(true);
    const during = await site(path, { headers: ada });
    expect(during.res.status).toBe(200);
    expect(during.body).not.toContain("My account");
    expect(during.body).toContain("Sign in");
    expect(during.body).toContain('class="readonly-banner"');
    expect(during.cacheStatus).not.toContain("fwd=bypass");
    expect(during.cacheStatus).toContain("stored");
    // …served from the same shared copy an anonymous visitor gets.
    const anon = await site(path);
    expect(anon.cacheStatus).toMatch(/; hit\b/);
  });

  it("keeps the admin allow-list working and shows the state; the token is still required", async () => {
    await switchReadOnly(true);
    const state = await admin("GET", "/_admin/readonly");
    expect(state.res.status).toBe(200);
    expect(state.json).toMatchObject({ on: true, reason: REASON, retryAfter: RETRY_AFTER, by: "test" });

    // The switch itself is a write that must keep working.
    const updated = await admin("PUT", "/_admin/readonly", { on: true, reason: "Still upgrading" });
    expect(updated.res.status).toBe(200);
    expect(updated.json).toMatchObject({ on: true, reason: "Still upgrading", retryAfter: RETRY_AFTER });
    const purge = await admin("POST", "/_admin/purge", { tags: [`ro-${crypto.randomUUID()}`] });
    expect(purge.res.status).toBe(200);

    const noToken = await site("/_admin/readonly");
    expect(noToken.res.status).toBe(401);
    const forged = await site("/_admin/readonly", {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: "Bearer wrong" },
      body: JSON.stringify({ on: false }),
    });
    expect(forged.res.status).toBe(401);
    expect((await admin("GET", "/_admin/readonly")).json).toMatchObject({ on: true });
  });

  it("defence in depth: admin writes other than the switch stop at the edge; sent to the origin, Postgres refuses them", async () => {
    await switchReadOnly(true);
    const key = `ro-test-${crypto.randomUUID().slice(0, 8)}`;
    // Only the switch and purges may write while read-only: the edge answers this one itself.
    const r = await admin("POST", `/_admin/flags/${key}/on`);
    expect(r.res.status).toBe(503);
    expect(r.res.headers.get("retry-after")).toBe(String(RETRY_AFTER));
    expect(r.res.headers.get("x-read-only-enforced-by")).toBeNull();
    // The same write sent straight to the origin (as if it slipped past the edge) reaches Postgres, which refuses it.
    await originSees(true);
    const direct = await env.ORIGIN.fetch(`https://origin.internal/_admin/flags/${key}/on`, {
      method: "POST",
      headers: { authorization: `Bearer ${inject("stack").adminToken}`, accept: "application/json" },
    });
    expect(direct.status).toBe(503);
    expect(direct.headers.get("x-read-only-enforced-by")).toBe("database");
    expect(direct.headers.get("retry-after")).toBe(String(RETRY_AFTER));
    const flags = await sql()`select count(*)::int as n from flags where key = ${key}`;
    const audit = await sql()`select count(*)::int as n from flag_audit where key = ${key}`;
    expect(flags[0]?.n).toBe(0);
    expect(audit[0]?.n).toBe(0);
  });

  it("defence in depth: a write that skips the edge entirely is refused by the origin's own switch", async () => {
    await switchReadOnly(true);
    // The origin trusts only the edge's signature; an unsigned request claims nothing, so the origin must read
    // the switch from KV itself (kept in its isolate's memory) and open a READ ONLY transaction.
    await originSees(true);
    const email = `${crypto.randomUUID()}@slipped.test`;
    const countBefore = await eventCount();
    const res = await env.ORIGIN.fetch(`https://origin.internal/events/${SLUG}/register`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ ...HUMAN, name: "Slipped Past", email }),
    });
    const body = (await res.json()) as { error: string; retryAfter: number };
    expect(res.status).toBe(503);
    expect(res.headers.get("x-read-only-enforced-by")).toBe("database");
    expect(body).toMatchObject({ error: "read_only", retryAfter: RETRY_AFTER });
    expect(await registrationsFor(email)).toBe(0);
    expect(await eventCount()).toBe(countBefore);
  });

  it("switching off restores writes", async () => {
    await switchReadOnly(true);
    const email = `${crypto.randomUUID()}@restored.test`;
    expect((await register(email, "application/json")).res.status).toBe(503);
    await switchReadOnly(false);
    // The origin's own copy of the switch may lag ~2 s; a refused attempt writes nothing, so retrying is safe.
    const ok = await eventually(async () => {
      const r = await register(email, "application/json");
      return r.res.status === 201 ? r : undefined;
    }, 10_000);
    expect(ok.res.headers.get("x-read-only")).toBeNull();
    expect(JSON.parse(ok.body)).toMatchObject({ registered: true, duplicate: false });
    expect(await registrationsFor(email)).toBe(1);
  });
});
