import { describe, expect, it } from "vitest";
import { createIdentityResolver } from "./resolve.ts";

describe("createIdentityResolver", () => {
  it("looks a session up once per TTL", async () => {
    let calls = 0;
    let t = 0;
    const r = createIdentityResolver({
      lookup: async (id) => {
        calls++;
        return id === "s1" ? { id: 1, tags: ["staff"] } : null;
      },
      ttlMs: 1_000,
      now: () => t,
    });
    expect((await r.resolve("s1"))?.id).toBe(1);
    expect((await r.resolve("s1"))?.id).toBe(1);
    expect(calls).toBe(1);
    expect(await r.resolve("nope")).toBeNull();
    expect(calls).toBe(2);
    t = 1_500;
    await r.resolve("s1");
    expect(calls).toBe(3);
    r.forget("s1");
    await r.resolve("s1");
    expect(calls).toBe(4);
  });

  it("does not cache a failed lookup", async () => {
    let fail = true;
    const r = createIdentityResolver({
      lookup: async () => {
        if (fail) throw new Error("origin down");
        return { id: 2, tags: [] };
      },
    });
    await expect(r.resolve("s")).rejects.toThrow("origin down");
    fail = false;
    expect(await r.resolve("s")).toEqual({ id: 2, tags: [] });
  });

  it("keeps at most maxEntries sessions", async () => {
    let calls = 0;
    const r = createIdentityResolver({
      lookup: async () => {
        calls++;
        return null;
      },
      maxEntries: 2,
    });
    await r.resolve("a");
    await r.resolve("b");
    await r.resolve("c");
    await r.resolve("a");
    expect(calls).toBe(4);
  });
});
