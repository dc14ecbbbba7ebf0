// The KV-backed store: cache window, coalescing, and staying up when KV fails or is slow.
import { describe, expect, it } from "vitest";
import { memoryKV } from "../testing/index.ts";
import {
  createReadOnlyStore,
  parseReadOnlyState,
  READ_ONLY_KEY,
  READ_ONLY_OFF,
  type ReadOnlyState,
} from "./state.ts";

const ON: ReadOnlyState = {
  on: true,
  reason: "DB upgrade",
  retryAfter: 600,
  since: "2026-11-23T10:00:00.000Z",
  by: "ops",
};

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const quiet = () => {};

describe("parseReadOnlyState", () => {
  it("treats a missing key as off and rejects malformed values", () => {
    expect(parseReadOnlyState(null)).toEqual(READ_ONLY_OFF);
    expect(parseReadOnlyState(JSON.stringify(ON))).toEqual(ON);
    expect(parseReadOnlyState("{not json")).toBeNull();
    expect(parseReadOnlyState(JSON.stringify({ on: "yes" }))).toBeNull();
  });
});

describe("createReadOnlyStore", () => {
  it("reads KV once per cache window, then again after it", async () => {
    const kv = memoryKV({ [READ_ONLY_KEY]: JSON.stringify(ON) });
    const t = clock();
    const store = createReadOnlyStore(kv, { cacheMs: 2_000, now: t.now });
    expect(await store.get()).toEqual(ON);
    kv.data.set(READ_ONLY_KEY, JSON.stringify({ ...ON, on: false }));
    t.advance(1_999);
    expect((await store.get()).on).toBe(true);
    t.advance(1);
    expect((await store.get()).on).toBe(false);
    expect(kv.reads).toBe(2);
  });

  it("serves a stale copy at once and refreshes it once, inside one request's waitUntil", async () => {
    const kv = memoryKV();
    let t = 0;
    const store = createReadOnlyStore(kv, { cacheMs: 100, now: () => t });
    await store.get();
    await kv.put(READ_ONLY_KEY, JSON.stringify(ON));
    t = 200;
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
    const states = await Promise.all(Array.from({ length: 20 }, () => store.get(ctx)));
    expect(states.every((s) => s.on === false)).toBe(true);
    expect(pending).toHaveLength(1);
    await Promise.all(pending);
    expect(kv.reads).toBe(2);
    expect(await store.get(ctx)).toEqual(ON);
  });

  it("set() is visible at once in the same isolate and persists to KV", async () => {
    const kv = memoryKV();
    const store = createReadOnlyStore(kv, { cacheMs: 60_000 });
    expect((await store.get()).on).toBe(false);
    await store.set(ON);
    expect(await store.get()).toEqual(ON);
    expect(JSON.parse(kv.data.get(READ_ONLY_KEY) ?? "null")).toEqual(ON);
  });

  it("rejects an invalid state on set", async () => {
    const store = createReadOnlyStore(memoryKV());
    await expect(store.set({ ...ON, retryAfter: 0 })).rejects.toThrow();
  });

  it("keeps the last known state when KV fails, logs, and retries only after the window", async () => {
    const kv = memoryKV({ [READ_ONLY_KEY]: JSON.stringify(ON) });
    const t = clock();
    const events: string[] = [];
    const store = createReadOnlyStore(kv, { now: t.now, log: (e) => events.push(e) });
    expect((await store.get()).on).toBe(true);
    kv.failWith = new Error("KV unavailable");
    t.advance(5_000);
    expect(await store.get()).toEqual(ON);
    expect(await store.get()).toEqual(ON);
    expect(kv.reads).toBe(2);
    expect(events).toEqual(["readonly.kv_error"]);
  });

  it("fails to off when KV is down from the start", async () => {
    const kv = memoryKV();
    kv.failWith = new Error("KV unavailable");
    expect(await createReadOnlyStore(kv, { log: quiet }).get()).toEqual(READ_ONLY_OFF);
  });

  it("treats a slow KV as failed instead of stalling the request", async () => {
    const kv = memoryKV({ [READ_ONLY_KEY]: JSON.stringify(ON) });
    kv.delayMs = 200;
    const events: string[] = [];
    const started = Date.now();
    const state = await createReadOnlyStore(kv, { timeoutMs: 20, log: (e) => events.push(e) }).get();
    expect(Date.now() - started).toBeLessThan(150);
    expect(state.on).toBe(false);
    expect(events).toEqual(["readonly.kv_error"]);
  });

  it("ignores a corrupt stored value and keeps the last known state", async () => {
    const kv = memoryKV({ [READ_ONLY_KEY]: JSON.stringify(ON) });
    const t = clock();
    const events: string[] = [];
    const store = createReadOnlyStore(kv, { now: t.now, log: (e) => events.push(e) });
    await store.get();
    kv.data.set(READ_ONLY_KEY, "garbage");
    t.advance(3_000);
    expect((await store.get()).on).toBe(true);
    expect(events).toEqual(["readonly.bad_state"]);
  });
});
