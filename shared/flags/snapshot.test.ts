// Snapshot versions (canonical JSON) and the per-request context builder.
import { describe, expect, it } from "vitest";
import { contextFromRequest, cookieReader } from "./context.ts";
import { canonicalJson, createSnapshot, snapshotVersion } from "./snapshot.ts";

describe("snapshot", () => {
  it("canonical JSON sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("the same rules give the same version whatever the key order; a change gives another", async () => {
    const a = await snapshotVersion({ x: { state: "on" }, y: { state: "off", description: "d" } });
    const b = await snapshotVersion({ y: { description: "d", state: "off" }, x: { state: "on" } });
    const c = await snapshotVersion({ x: { state: "on" }, y: { state: "on", description: "d" } });
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect((await createSnapshot({ x: { state: "on" } })).version).toBe(
      await snapshotVersion({ x: { state: "on" } }),
    );
  });
});

describe("context", () => {
  it("reads cookies lazily, first occurrence wins", () => {
    const read = cookieReader('a=1; b="two"; a=3; junk; c=');
    expect(read("a")).toBe("1");
    expect(read("b")).toBe("two");
    expect(read("c")).toBe("");
    expect(read("zz")).toBeNull();
    expect(cookieReader(null)("a")).toBeNull();
  });

  it("builds the context from a request", () => {
    const req = new Request("https://Beta.Example.com/talks", {
      headers: { "cf-connecting-ip": "10.0.0.1", "cf-ipcountry": "FI", cookie: "ab=x", "x-beta": "1" },
    });
    const ctx = contextFromRequest(req, { userId: "u1" }, 5);
    expect(ctx).toMatchObject({
      userId: "u1",
      ip: "10.0.0.1",
      country: "FI",
      host: "beta.example.com",
      now: 5,
    });
    expect(ctx.headers?.("x-beta")).toBe("1");
    expect(ctx.cookies?.("ab")).toBe("x");
  });
});
