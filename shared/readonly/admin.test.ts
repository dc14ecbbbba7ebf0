// The admin API: bearer auth (including an unset token), status, switching, the audit trail, 400s for bad input.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { nextReadOnlyState, readOnlyAdmin } from "./admin.ts";
import { READ_ONLY_OFF, type ReadOnlyAuditEntry, type ReadOnlyState, type ReadOnlyStore } from "./state.ts";

const TOKEN = "test-admin-token";

/** The store's contract in memory (the switchboard's own behaviour is tested in shared/switchboard). */
function memoryStore(): ReadOnlyStore {
  let state: ReadOnlyState = { ...READ_ONLY_OFF };
  const audit: ReadOnlyAuditEntry[] = [];
  return {
    get: async () => state,
    peek: () => state,
    async apply(put, by) {
      const before = state;
      state = nextReadOnlyState(state, put, by, new Date().toISOString());
      audit.unshift({
        id: audit.length + 1,
        at: "",
        actor: by,
        action: "change",
        detail: "",
        before,
        after: state,
      });
      return { state };
    },
    audit: async (limit) => audit.slice(0, limit),
  };
}

function setup(token = TOKEN) {
  const store = memoryStore();
  const app = new Hono().route(
    "/",
    readOnlyAdmin(
      () => store,
      () => token,
    ),
  );
  const call = (method: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request("/_admin/readonly", {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
  const get = (path: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers: { Authorization: `Bearer ${TOKEN}`, ...headers } });
  return { store, call, get };
}

describe("readOnlyAdmin", () => {
  it("refuses requests without the right bearer token", async () => {
    const { call } = setup();
    expect((await call("GET", undefined, { Authorization: "" })).status).toBe(401);
    expect((await call("GET", undefined, { Authorization: "Bearer wrong" })).status).toBe(401);
    expect((await call("PUT", { on: true }, { Authorization: "Bearer wrong" })).status).toBe(401);
  });

  it("refuses everyone when no admin token is configured", async () => {
    const { call } = setup("");
    expect((await call("GET")).status).toBe(401);
    expect((await call("GET", undefined, { Authorization: "Bearer " })).status).not.toBe(200);
  });

  it("shows the status, off by default", async () => {
    const res = await setup().call("GET");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.json()).toEqual(READ_ONLY_OFF);
  });

  it("switches on and off, recording who and when", async () => {
    const { call, store } = setup();
    const on = await call("PUT", { on: true, reason: "DB upgrade", retryAfter: 900 }, { "X-Actor": "alice" });
    expect(on.status).toBe(200);
    const state = (await on.json()) as ReadOnlyState;
    expect(state).toMatchObject({ on: true, reason: "DB upgrade", retryAfter: 900, by: "alice" });
    expect(Date.parse(state.since ?? "")).not.toBeNaN();
    expect(await store.get()).toEqual(state);

    const off = (await (await call("PUT", { on: false })).json()) as ReadOnlyState;
    expect(off).toMatchObject({ on: false, reason: "", by: "admin" });
  });

  it("lists the audit trail, newest first, bounded and behind the token", async () => {
    const { call, get: audit } = setup();
    await call("PUT", { on: true }, { "X-Actor": "alice" });
    await call("PUT", { on: false }, { "X-Actor": "bob" });
    const res = await audit("/_admin/readonly/audit?limit=1");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { entries: ReadOnlyAuditEntry[] }).entries.map((e) => e.actor)).toEqual([
      "bob",
    ]);
    expect((await audit("/_admin/readonly/audit?limit=0")).status).toBe(400);
    expect((await audit("/_admin/readonly/audit", { Authorization: "Bearer wrong" })).status).toBe(401);
  });

  it("answers 400 with a clear message for bad input", async () => {
    const { call } = setup();
    const cases: unknown[] = [
      "{oops",
      { reason: "x" },
      { on: "yes" },
      { on: true, retryAfter: -5 },
      { on: true, retry_after: 5 },
    ];
    for (const body of cases) {
      const res = await call("PUT", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.text()).toMatch(/JSON|on|retryAfter|retry_after/);
    }
  });
});

describe("nextReadOnlyState", () => {
  const NOW = "2026-11-23T12:00:00.000Z";
  const on: ReadOnlyState = {
    on: true,
    reason: "Upgrade",
    retryAfter: 600,
    since: "2026-11-23T11:00:00.000Z",
    by: "a",
  };

  it("keeps `since` and the reason when an on switch is updated", () => {
    expect(nextReadOnlyState(on, { on: true, retryAfter: 60 }, "b", NOW)).toEqual({
      ...on,
      retryAfter: 60,
      by: "b",
    });
  });

  it("moves `since` when the switch changes and defaults the reason", () => {
    const next = nextReadOnlyState({ ...READ_ONLY_OFF }, { on: true }, "a", NOW);
    expect(next.since).toBe(NOW);
    expect(next.reason).not.toBe("");
    expect(nextReadOnlyState(on, { on: false }, "a", NOW)).toMatchObject({
      on: false,
      since: NOW,
      reason: "",
    });
  });
});
