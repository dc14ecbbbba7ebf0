import { describe, expect, it } from "vitest";
import { createSnapshot, evaluate } from "../flags/index.ts";
import { memoryKV } from "../testing/index.ts";
import { createSnapshotReader, EMPTY_VERSION, SNAPSHOT_KEY } from "./edge-snapshot.ts";

const ctx = { now: 0 };

async function stored(state: "on" | "off") {
  return JSON.stringify(await createSnapshot({ checkout: { state } }));
}

function clock(start = 1000) {
  let t = start;
  return {
    now: () => t,
    tick: (ms: number) => {
      t += ms;
    },
  };
}

describe("createSnapshotReader", () => {
  it("reads KV once per cacheMs and sees a change after it", async () => {
    const kv = memoryKV({ [SNAPSHOT_KEY]: await stored("on") });
    const t = clock();
    const reader = createSnapshotReader(kv, { cacheMs: 2000, now: t.now });
    const first = await reader.get();
    expect(evaluate(first.compiled, "checkout", ctx).value).toBe(true);
    kv.data.set(SNAPSHOT_KEY, await stored("off"));
    t.tick(1999);
    expect((await reader.get()).version).toBe(first.version);
    expect(kv.reads).toBe(1);
    t.tick(1);
    const second = await reader.get();
    expect(second.version).not.toBe(first.version);
    expect(evaluate(second.compiled, "checkout", ctx).value).toBe(false);
    expect(kv.reads).toBe(2);
  });

  it("compiles once per version; a stale snapshot is served at once and refreshed in one waitUntil", async () => {
    const kv = memoryKV({ [SNAPSHOT_KEY]: await stored("on") });
    const t = clock();
    const reader = createSnapshotReader(kv, { cacheMs: 10, now: t.now });
    const a = await reader.get();
    expect(kv.reads).toBe(1);
    t.tick(10);
    // Same version stored again (republished): the compiled form is reused, not rebuilt.
    kv.data.set(SNAPSHOT_KEY, ` ${kv.data.get(SNAPSHOT_KEY)}`);
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
    const [b, c] = await Promise.all([reader.get(ctx), reader.get(ctx)]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(pending).toHaveLength(1);
    await Promise.all(pending);
    expect(kv.reads).toBe(2);
    expect((await reader.get(ctx)).compiled).toBe(a.compiled);
  });

  it("starts empty (code defaults apply) when nothing was published or KV is down", async () => {
    const errors: unknown[] = [];
    const kv = memoryKV();
    kv.failWith = new Error("KV down");
    const reader = createSnapshotReader(kv, {
      compileOptions: { defaults: { "new-nav": true } },
      onError: (e) => errors.push(e),
    });
    const snap = await reader.get();
    expect(snap.version).toBe(EMPTY_VERSION);
    expect(evaluate(snap.compiled, "new-nav", ctx)).toMatchObject({ value: true, reason: "DEFAULT" });
    expect(errors).toHaveLength(1);
    const empty = await createSnapshotReader(memoryKV()).get();
    expect(empty.version).toBe(EMPTY_VERSION);
  });

  it("keeps the last good snapshot through failures, bad JSON, a missing key and a hung KV", async () => {
    const kv = memoryKV({ [SNAPSHOT_KEY]: await stored("on") });
    const t = clock();
    const errors: unknown[] = [];
    const reader = createSnapshotReader(kv, {
      cacheMs: 100,
      timeoutMs: 20,
      now: t.now,
      onError: (e) => errors.push(e),
    });
    const good = await reader.get();
    const steps: (() => void)[] = [
      () => {
        kv.failWith = new Error("KV down");
      },
      () => {
        kv.failWith = null;
        kv.data.set(SNAPSHOT_KEY, "{not json");
      },
      () => kv.data.set(SNAPSHOT_KEY, JSON.stringify({ flags: {} })),
      () => kv.data.delete(SNAPSHOT_KEY),
      () => {
        kv.hang = true;
      },
    ];
    for (const step of steps) {
      step();
      t.tick(100);
      expect(await reader.get()).toBe(good);
    }
    expect(errors).toHaveLength(4);
    // After a failure the reader waits cacheMs again instead of hitting a failing KV on every request.
    const reads = kv.reads;
    await reader.get();
    expect(kv.reads).toBe(reads);
  });
});
