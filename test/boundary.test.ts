// The edge-only boundary: no encoding of a reserved path reaches a protected route without its credentials.
//
// Reserved prefixes are read from the routers themselves, so a route added later is covered without editing this.
import { describe, expect, it } from "vitest";
import { edgeAdmin } from "../workers/edge/admin.ts";
import { app } from "../workers/origin/app.ts";
import { admin, site, sql } from "./helpers.ts";

// Test-only routes exist only in test builds, and the dev mailbox only where ENVIRONMENT is "local" (the tests'
// stack): both are public there on purpose.
const PUBLIC_IN_TESTS = ["/_test", "/_dev"];

function reservedRoutes(): string[] {
  const paths = [...app.routes, ...edgeAdmin.routes]
    .map((r) => r.path)
    .filter((p) => p.startsWith("/_") && !PUBLIC_IN_TESTS.some((x) => p.startsWith(x)))
    .map((p) => p.replace(/:[^/]+/g, "1").replace(/\*/g, "x"));
  return [...new Set(paths)];
}

/** Ways to write the same (or a confusable) path that a naive check on the raw path would let through. */
function variants(path: string): string[] {
  const [first = "", ...rest] = path.slice(1).split("/");
  const tail = rest.length ? `/${rest.join("/")}` : "";
  const under = first.slice(1);
  return [
    `/%5F${under}${tail}`,
    `/%5f${under}${tail}`,
    `/%255F${under}${tail}`,
    `/${first}%2F${rest.join("%2F")}`,
    `/${first}%2f${rest.join("%2f")}`,
    `/events/%2e%2e/${first}${tail}`,
    `/events/.%2E/${first}${tail}`,
    `/${first.toUpperCase()}${tail.toUpperCase()}`,
    `/${first}.${tail}`,
    `${path}.`,
    `//${first}//${rest.join("//")}`,
    `/${first}${tail}%00`,
    `/%C0%DF${under}${tail}`,
    `/${first}${tail}/`,
  ];
}

const hostile = {
  authorization: "Bearer not-the-token",
  cookie: "sid=dev-session-ada",
  "x-session-id": "dev-session-ada",
};

describe("the edge-only boundary", () => {
  const routes = reservedRoutes();

  it("knows the reserved routes, and they are real (the admin token opens them)", async () => {
    expect(routes).toEqual(expect.arrayContaining(["/_admin/flags", "/_admin/readonly", "/_admin/purge"]));
    expect((await admin("GET", "/_admin/flags")).res.status).toBe(200);
    expect((await site("/_admin/flags")).res.status).toBe(401);
  });

  it("has no internal HTTP routes at all: edge-only calls are RPC on the service binding", () => {
    expect([...app.routes].filter((r) => r.path.startsWith("/_internal"))).toEqual([]);
  });

  it("refuses every encoding of every reserved route without its credentials", async () => {
    const [{ count: before = 0 } = {}] = (await sql()`select count(*)::int as count from exposures`) as {
      count?: number;
    }[];
    const leaks: string[] = [];
    for (const route of [...routes, "/_internal/identity", "/_internal/exposures"]) {
      for (const path of variants(route)) {
        for (const method of ["GET", "POST"]) {
          const { res, body } = await site(path, {
            method,
            headers: { ...hostile, "content-type": "application/json" },
            ...(method === "POST" ? { body: JSON.stringify({ exposures: [], tags: ["x"], on: true }) } : {}),
          });
          if (![400, 401, 403, 404, 405].includes(res.status))
            leaks.push(`${method} ${path} → ${res.status}`);
          if (body.includes('"tags"') && body.includes('"user"'))
            leaks.push(`${method} ${path} leaked identity`);
        }
      }
    }
    expect(leaks).toEqual([]);
    const [{ count: after = 0 } = {}] = (await sql()`select count(*)::int as count from exposures`) as {
      count?: number;
    }[];
    expect(after).toBe(before);
  });

  it("answers a malformed path with a clear 400, never a 5xx", async () => {
    for (const path of ["/events/%00", "/events/%zz", "/a%2Fb", "/%255Fadmin/flags", "/events/%c0%af"]) {
      const { res, body } = await site(path, { headers: { accept: "application/json" } });
      expect(res.status, path).toBe(400);
      expect(JSON.parse(body)).toMatchObject({ error: "bad_request" });
    }
  });

  it("forwards the canonical path, so an escaped ordinary character finds its page", async () => {
    const { res } = await site("/%65vents/edge-summit-2027");
    expect(res.status).toBe(200);
  });

  it("treats a malformed session cookie as no session, never a 5xx", async () => {
    for (const sid of ["a%00b", "x".repeat(5_000), "%C0%AF", "dev-session-ada;", "é"]) {
      const cookie = `sid=${encodeURIComponent(sid)}`;
      const page = await site("/events/edge-summit-2027", { headers: { cookie } });
      expect(page.res.status, sid).toBe(200);
      const write = await site("/logout", {
        method: "POST",
        headers: { cookie, accept: "application/json" },
      });
      expect(write.res.status, `${sid}: ${write.body}`).toBeLessThan(500);
    }
  });
});
