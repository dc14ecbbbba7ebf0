// The operations console through the real edge: who gets in (Access token, staff session), that nothing of it is
// cached, that its changes are the admin API's changes with the operator recorded, and the edge's cache API.
import { importJWK, SignJWT } from "jose";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { admin, eventually, SITE, sessionFor, site, sql } from "./helpers.ts";

const access = inject("access");
let ada: string;
let bob: string;

beforeAll(async () => {
  ada = (await sessionFor("ada@example.com")).cookie;
  await sql()`update users set tags = '{staff}' where email = 'ada@example.com'`;
  bob = (await sessionFor("bob-console@example.com")).cookie;
});

async function accessToken(claims: { aud?: string; exp?: string; email?: string } = {}) {
  const key = await importJWK(access.privateJwk, "RS256");
  return new SignJWT({ email: claims.email ?? "oncall@example.com", type: "app" })
    .setProtectedHeader({ alg: "RS256", kid: access.kid })
    .setIssuer(access.teamDomain)
    .setAudience([claims.aud ?? access.aud])
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? "5m")
    .sign(key);
}

const form = (fields: Record<string, string>, cookie: string, origin = SITE) => ({
  method: "POST",
  headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin },
  body: new URLSearchParams(fields).toString(),
});

describe("who may use the console", () => {
  it("lets in a staff session and refuses others with a page that says why", async () => {
    const staff = await site("/admin/flags", { headers: { cookie: ada } });
    expect(staff.res.status, staff.body).toBe(200);
    expect(staff.body).toContain("ada@example.com");
    const other = await site("/admin/flags", { headers: { cookie: bob } });
    expect(other.res.status).toBe(403);
    expect(other.body).toContain("not tagged staff");
    const nobody = await site("/admin/jobs");
    expect(nobody.res.status).toBe(403);
    expect(nobody.body).toContain("Sign in");
  });

  it("lets in a valid Cloudflare Access token, fetching the team's keys once, and refuses a bad one", async () => {
    const fetches = async () =>
      ((await (await fetch(`${access.teamDomain}/fetches`)).json()) as { fetches: number }).fetches;
    const before = await fetches();
    for (let i = 0; i < 3; i++) {
      const ok = await site("/admin/readonly", {
        headers: { "cf-access-jwt-assertion": await accessToken() },
      });
      expect(ok.res.status, ok.body).toBe(200);
      expect(ok.body).toContain("oncall@example.com");
    }
    expect(await fetches()).toBeLessThanOrEqual(before + 1);
    for (const bad of [
      await accessToken({ aud: "another-app" }),
      await accessToken({ exp: "-2m" }),
      "x.y.z",
    ]) {
      const refused = await site("/admin/readonly", { headers: { "cf-access-jwt-assertion": bad } });
      expect(refused.res.status).toBe(403);
      expect(refused.body).toContain("Access token was not accepted");
    }
  });
});

describe("console pages", () => {
  it("are never stored by the edge", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await site("/admin/database", { headers: { cookie: ada } });
      expect(r.res.headers.get("cache-control")).toBe("private, no-store");
      expect(r.cacheStatus).toContain("fwd=bypass");
      expect(r.body).toContain('data-server="primary"');
    }
  });

  it("change a flag as the admin API does, recording the operator, and show the validator's messages", async () => {
    const key = `console-${crypto.randomUUID().slice(0, 8)}`;
    const token = await accessToken({ email: "release@example.com" });
    const created = await site("/admin/flags", {
      ...form({ key }, ""),
      headers: { ...form({ key }, "").headers, "cf-access-jwt-assertion": token },
    });
    expect(created.res.status, created.body).toBe(303);
    const saved = await site(
      `/admin/flags/${key}`,
      form({ tags: "beta", percentage: "", variants: "" }, ada),
    );
    expect(saved.res.status, saved.body).toBe(303);
    const api = await admin("GET", `/_admin/flags/${key}`);
    expect(api.json).toMatchObject({ doc: { state: "off", conditions: [{ type: "tags", tags: ["beta"] }] } });
    const audit = (api.json as { audit: { actor: string }[] }).audit.map((a) => a.actor);
    expect(audit).toEqual(["ada@example.com", "release@example.com"]);

    const bad = await site(`/admin/flags/${key}`, form({ variants: "a:1, a:1" }, ada));
    expect(bad.res.status).toBe(400);
    expect(bad.body).toMatch(/class="console-error"[\s\S]*variant/);
    const notJson = await site(`/admin/flags/${key}/document`, form({ document: "{" }, ada));
    expect(notJson.body).toContain("The document is not JSON");
  });

  it("refuse a form posted from another site", async () => {
    const r = await site("/admin/readonly", form({ on: "1" }, ada, "https://evil.example"));
    expect(r.res.status).toBe(403);
    expect((await admin("GET", "/_admin/readonly")).json).toMatchObject({ on: false });
  });

  it("switch read-only as the operator, and can switch it back while the site is read-only", async () => {
    const on = await site(
      "/admin/readonly",
      form({ on: "1", reason: "Console test", retryAfter: "20" }, ada),
    );
    expect(on.res.status, on.body).toBe(303);
    // The edge keeps its copy of the switch for SWITCH_MEMORY_MS (250 ms here).
    await eventually(async () => {
      expect((await admin("GET", "/_admin/readonly")).json).toMatchObject({
        on: true,
        by: "ada@example.com",
        retryAfter: 20,
      });
      return true;
    });
    try {
      await eventually(
        async () => (await site("/events/edge-summit-2027/register", { method: "POST" })).res.status === 503,
      );
      const page = await site("/admin/readonly", { headers: { cookie: ada } });
      expect(page.body).toContain('data-readonly="on"');
    } finally {
      const off = await site("/admin/readonly", form({ on: "0" }, ada));
      expect(off.res.status, off.body).toBe(303);
    }
    await eventually(
      async () => ((await admin("GET", "/_admin/readonly")).json as { on: boolean }).on === false,
    );
  });

  it("show grouped errors, or say there are none", async () => {
    const r = await site("/admin/errors", { headers: { cookie: ada } });
    expect(r.res.status).toBe(200);
    expect(r.body).toMatch(/data-errors="none"|data-fingerprint=/);
  });
});

describe("the edge's cache API", () => {
  it("shows a page's entry to the admin token and to a console grant, and to nobody else", async () => {
    const path = `/events/postgres-days-lisbon-2027?console=${crypto.randomUUID().slice(0, 6)}`;
    await eventually(async () => (await site(path)).cacheStatus.includes("hit"));
    const url = encodeURIComponent(`${SITE}${path}`);
    const withToken = await admin("GET", `/_admin/cache?url=${url}`);
    expect(withToken.res.status, withToken.text).toBe(200);
    const entry = (withToken.json as { entries: { status: number; ttl: number; tags: string[] }[] })
      .entries[0];
    expect(entry).toMatchObject({ status: 200, ttl: 60 });
    expect(entry?.tags.some((t) => t.startsWith("event:"))).toBe(true);

    const cachePage = await site("/admin/cache", { headers: { cookie: ada } });
    const grant = /data-grant="([^"]+)"/.exec(cachePage.body)?.[1] ?? "";
    expect(grant).toMatch(/^console\./);
    const viaGrant = await site(`/_admin/cache?url=${url}`, {
      headers: { authorization: `Bearer ${grant}` },
    });
    expect(viaGrant.res.status).toBe(200);
    const forged = await site(`/_admin/cache?url=${url}`, {
      headers: { authorization: `Bearer ${grant.slice(0, -3)}abc` },
    });
    expect(forged.res.status).toBe(401);

    const purged = await site("/_admin/purge", {
      method: "POST",
      headers: { authorization: `Bearer ${grant}`, "content-type": "application/json" },
      body: JSON.stringify({ urls: [`${SITE}${path}`] }),
    });
    expect(purged.res.status, purged.body).toBe(200);
    expect(((await admin("GET", `/_admin/cache?url=${url}`)).json as { entries: unknown[] }).entries).toEqual(
      [],
    );
    expect((await site(path)).cacheStatus).toContain("fwd=uri-miss");
  });
});
