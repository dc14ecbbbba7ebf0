import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { compile, evaluate } from "../flags/index.ts";
import { readCopies } from "../switchboard/index.ts";
import { memoryFlagStore, memoryKV } from "../testing/index.ts";
import { flagsAdmin } from "./admin.ts";
import { createSnapshotView } from "./edge-snapshot.ts";
import { publishedVersion } from "./publish.ts";

const TOKEN = "test-admin-token";
const compileOf = (text: string | null) => compile(JSON.parse(text ?? "{}"));
type Json = Record<string, unknown> & { version?: string };

function setup(rows: Record<string, unknown> = {}, token = TOKEN) {
  const kv = memoryKV();
  const store = memoryFlagStore(rows);
  const app = new Hono().route(
    "/",
    flagsAdmin(
      () => ({ store, kv }),
      () => token,
    ),
  );
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(`/_admin/flags${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Json = {};
    try {
      json = JSON.parse(text) as Json;
    } catch {
      json = { text };
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  return { kv, store, call };
}

describe("flagsAdmin", () => {
  it("refuses requests without the right bearer token, and everyone when no token is set", async () => {
    const { call } = setup();
    for (const [method, path] of [
      ["GET", ""],
      ["GET", "/x"],
      ["PUT", "/x"],
      ["POST", "/x/on"],
      ["GET", "/_audit"],
    ]) {
      expect((await call(method ?? "", path ?? "", undefined, { Authorization: "Bearer nope" })).status).toBe(
        401,
      );
    }
    expect((await setup({}, "").call("GET", "")).status).toBe(401);
  });

  it("switches a flag on and off, publishing each change where the edge reads it", async () => {
    const { call, kv, store } = setup();
    const on = await call("POST", "/new-talk-page/on", undefined, { "X-Actor": "alice" });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ key: "new-talk-page", doc: { state: "on" }, changed: true });
    expect(await publishedVersion(kv)).toBe(on.json.version);
    // What the edge compiles when it reads KV's copy (the switchboard is tested with its own module).
    const reader = createSnapshotView({
      get: async () => (await readCopies(kv, 100)).flags,
      peek: () => undefined,
    });
    expect(evaluate((await reader.get()).compiled, "new-talk-page", { now: 0 }).value).toBe(true);

    const off = await call("POST", "/new-talk-page/off");
    expect(off.json.version).not.toBe(on.json.version);
    expect(evaluate((await reader.get()).compiled, "new-talk-page", { now: 0 }).value).toBe(false);
    expect(store.log.map((e) => [e.actor, e.before, e.after])).toEqual([
      ["alice", null, { state: "on" }],
      ["admin", { state: "on" }, { state: "off" }],
    ]);
    // The same state again changes nothing and writes no audit row.
    expect((await call("POST", "/new-talk-page/off")).json.changed).toBe(false);
    expect(store.log).toHaveLength(2);
  });

  it("PATCH maps quick edits onto the document", async () => {
    const { call } = setup();
    await call("PATCH", "/checkout", { tags: ["staff"] });
    const res = await call("PATCH", "/checkout", { percentage: 25, exclude: { countries: ["FR"] } });
    expect(res.json.doc).toEqual({
      state: "selective",
      conditions: [
        { type: "tags", tags: ["staff"] },
        { type: "country", countries: ["FR"], exclude: true },
        { type: "percentage", percentage: 25 },
      ],
    });
    const shown = await call("GET", "/checkout");
    expect(shown.json).toMatchObject({ key: "checkout", summary: "tags staff | not country FR | 25%" });
    expect((shown.json.audit as unknown[]).length).toBe(2);
  });

  it("answers 400 with the validator's precise messages and stores nothing", async () => {
    const { call, store, kv } = setup();
    const bad = await call("PUT", "/checkout", { state: "maybe", variants: [{ name: "on", weight: 1 }] });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("checkout.state must be off, on or selective");
    expect(bad.text).toContain(
      'checkout.variants[0].name must be 1-100 characters without ; = , % or a leading dot (not "on"/"off")',
    );
    for (const [method, path, body, word] of [
      ["PUT", "/Bad Key", { state: "on" }, "not a flag key"],
      ["PUT", "/segment:x", { state: "on" }, "reserved for segments"],
      ["PUT", "/checkout", "{oops", "body must be JSON"],
      ["PATCH", "/checkout", { percent: 25 }, "percent"],
      ["PATCH", "/checkout", { stickiness: "userId" }, "stickiness needs a percentage"],
      ["PATCH", "/checkout", { countries: ["Britain"] }, "countries"],
      ["PATCH", "/checkout", { segments: ["nope"] }, 'unknown segment "nope"'],
      ["GET", "/_audit?limit=0", undefined, "limit"],
    ] as const) {
      const res = await call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.text).toContain(word);
    }
    expect(store.data.size).toBe(0);
    expect(kv.writes).toBe(0);
  });

  it("imports many documents at once only when the whole result is valid, then publishes once", async () => {
    const { call, kv, store } = setup({ "Feature.A": { state: "off" } });
    const bad = await call("POST", "/_import", {
      flags: { "Feature.B": { state: "selective", conditions: [{ type: "segment", segment: "ghost" }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('flags.Feature.B references unknown segment "ghost"');
    expect((await call("POST", "/_import", { flags: { _x: { state: "on" } } })).status).toBe(400);
    expect((await call("POST", "/_import", { nope: 1 })).status).toBe(400);
    expect(store.data.size).toBe(1);
    const ok = await call("POST", "/_import", {
      flags: {
        "Feature.A": { state: "on" },
        "Feature.B": { state: "selective", conditions: [{ type: "segment", segment: "ghost" }] },
      },
      segments: {
        ghost: { conditions: [{ type: "constraint", field: "prop:event", operator: "IN", values: ["x"] }] },
      },
    });
    expect(ok.json).toMatchObject({
      created: ["segment:ghost", "Feature.B"],
      updated: ["Feature.A"],
      unchanged: [],
    });
    expect(await publishedVersion(kv)).toBe(ok.json.version);
    expect(store.log.map((e) => e.key)).toEqual(["segment:ghost", "Feature.A", "Feature.B"]);
  });

  it("renames a flag without moving anyone between buckets or variants", async () => {
    const doc = {
      state: "selective",
      conditions: [{ type: "percentage", percentage: 40 }],
      variants: [
        { name: "a", weight: 1 },
        { name: "b", weight: 1 },
      ],
    };
    const { call, store, kv } = setup({
      "old-name": doc,
      child: { state: "on", requires: [{ flag: "old-name" }] },
    });
    const before = compile({ version: "b", flags: { "old-name": doc }, segments: {} });
    expect((await call("POST", "/old-name/rename", { to: "Checkout.New" })).status).toBe(409);
    await call("DELETE", "/child");
    expect((await call("POST", "/old-name/rename", { to: "_bad" })).status).toBe(400);
    expect((await call("POST", "/nope/rename", { to: "x" })).status).toBe(404);
    const renamed = await call("POST", "/old-name/rename", { to: "Checkout.New" });
    expect(renamed.json).toMatchObject({ key: "Checkout.New", doc: { ...doc, groupId: "old-name" } });
    expect(store.data.has("old-name")).toBe(false);
    const after = compileOf(await kv.get("flags:snapshot"));
    for (let i = 0; i < 200; i++) {
      const ctx = { userId: `u${i}`, now: 0 };
      const [x, y] = [evaluate(before, "old-name", ctx), evaluate(after, "Checkout.New", ctx)];
      expect([y.value, y.variant]).toEqual([x.value, x.variant]);
    }
  });

  it("manages reusable segments and refuses to delete one still in use", async () => {
    const { call } = setup();
    const seg = await call("PUT", "/_segments/staff", { conditions: [{ type: "tags", tags: ["staff"] }] });
    expect(seg.status).toBe(200);
    await call("PATCH", "/a", { segments: ["staff"] });
    await call("PATCH", "/b", { segments: ["staff"], state: "selective" });
    const list = await call("GET", "");
    expect(list.json).toMatchObject({
      inSync: true,
      flags: [
        { key: "a", summary: "segment staff" },
        { key: "b", summary: "segment staff" },
      ],
      segments: [{ name: "staff", summary: "tags staff" }],
    });
    const refused = await call("DELETE", "/_segments/staff");
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('flags.a references unknown segment "staff"');
    await call("DELETE", "/a");
    await call("DELETE", "/b");
    expect((await call("DELETE", "/_segments/staff")).status).toBe(200);
    expect((await call("GET", "/_segments")).json.segments).toEqual([]);
  });

  it("deletes, 404s on unknown keys, shows a disabling parent, and lists the audit trail", async () => {
    const { call } = setup();
    await call("POST", "/checkout/off");
    await call("POST", "/checkout:new-button/on");
    expect((await call("GET", "/checkout:new-button")).json.disabledBy).toBe("checkout");
    const listed = (await call("GET", "")).json.flags as { key: string; disabledBy: string | null }[];
    expect(listed.map((f) => [f.key, f.disabledBy])).toEqual([
      ["checkout", null],
      ["checkout:new-button", "checkout"],
    ]);
    expect((await call("DELETE", "/checkout:new-button")).json).toMatchObject({ doc: null, changed: true });
    expect((await call("DELETE", "/checkout:new-button")).status).toBe(404);
    expect((await call("GET", "/nothing")).status).toBe(404);
    const audit = await call("GET", "/_audit?key=checkout:new-button&limit=5");
    expect((audit.json.entries as { after: unknown }[]).map((e) => e.after)).toEqual([null, { state: "on" }]);
    expect(audit.headers.get("Cache-Control")).toBe("no-store");
  });

  it("says when a change was saved but could not be published, and republishes on request", async () => {
    const { call, kv } = setup();
    kv.failWith = new Error("KV down");
    const res = await call("POST", "/checkout/on");
    expect(res.status).toBe(503);
    expect(res.text).toContain("saved, but publishing the snapshot failed");
    kv.failWith = null;
    const again = await call("POST", "/_publish");
    expect(again.status).toBe(200);
    expect(await publishedVersion(kv)).toBe(again.json.version);
  });
});
