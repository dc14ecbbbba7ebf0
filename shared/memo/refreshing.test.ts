import { describe, expect, it } from "vitest";
import { createRefreshing } from "./refreshing.ts";

function ctx() {
  const pending: Promise<unknown>[] = [];
  return { waitUntil: (p: Promise<unknown>) => void pending.push(p), pending };
}

describe("createRefreshing", () => {
  it("loads once, then serves from memory within the TTL", async () => {
    let loads = 0;
    let t = 0;
    const r = createRefreshing(async () => ++loads, { ttlMs: 100, now: () => t });
    expect(await r.get()).toBe(1);
    t = 50;
    expect(await r.get(ctx())).toBe(1);
    expect(loads).toBe(1);
  });

  it("serves the stale value at once and refreshes it in ONE request's waitUntil", async () => {
    let loads = 0;
    let t = 0;
    let release: () => void = () => {};
    const r = createRefreshing(
      async () => {
        loads++;
        if (loads > 1) await new Promise<void>((go) => (release = go));
        return loads;
      },
      { ttlMs: 100, now: () => t },
    );
    await r.get();
    t = 200;
    const a = ctx();
    const b = ctx();
    expect(await r.get(a)).toBe(1);
    expect(await r.get(b)).toBe(1);
    expect(a.pending).toHaveLength(1);
    expect(b.pending).toHaveLength(0);
    release();
    await Promise.all(a.pending);
    expect(await r.get(b)).toBe(2);
  });

  it("lets another request refresh when the first refresh never settles", async () => {
    let t = 0;
    let loads = 0;
    const r = createRefreshing(
      async () => {
        loads++;
        if (loads === 2) return new Promise<number>(() => {});
        return loads;
      },
      { ttlMs: 100, stuckMs: 1_000, now: () => t },
    );
    await r.get();
    t = 200;
    await r.get(ctx());
    t = 300;
    await r.get(ctx());
    expect(loads).toBe(2);
    t = 1_500;
    const c = ctx();
    await r.get(c);
    await Promise.all(c.pending);
    expect(loads).toBe(3);
    expect(await r.get()).toBe(3);
  });

  it("takes a value set by this isolate as current", async () => {
    let loads = 0;
    const r = createRefreshing(async () => ++loads, { ttlMs: 1_000 });
    r.set(42);
    expect(await r.get()).toBe(42);
    expect(loads).toBe(0);
  });

  it("peeks without awaiting: nothing before the first load, the value while fresh or refreshing", async () => {
    let loads = 0;
    let t = 0;
    const r = createRefreshing(async () => ++loads, { ttlMs: 100, now: () => t });
    expect(r.peek(ctx())).toBeUndefined();
    expect(loads).toBe(0);
    await r.get();
    expect(r.peek()).toBe(1);
    t = 200;
    // Stale with no context to refresh in: the caller must get() (and load) instead.
    expect(r.peek()).toBeUndefined();
    const a = ctx();
    expect(r.peek(a)).toBe(1);
    expect(a.pending).toHaveLength(1);
    await Promise.all(a.pending);
    expect(r.peek()).toBe(2);
  });
});
