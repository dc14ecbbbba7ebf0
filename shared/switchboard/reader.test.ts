// The tiered reader: memory, the location's copy (with its lease), the object, KV when the object is away.
import { describe, expect, it } from "vitest";
import { READ_ONLY_KEY, type ReadOnlyState } from "../readonly/index.ts";
import { fakeSwitchboard, memoryKV } from "../testing/index.ts";
import { callBoard } from "./client.ts";
import { createLocationCache } from "./location-cache.ts";
import { createSwitchReader, type SwitchReaderOptions } from "./reader.ts";

const ON: ReadOnlyState = { on: true, reason: "Move", retryAfter: 600, since: null, by: "ann" };
const quiet = () => {};

function setup(extra: Partial<SwitchReaderOptions> = {}) {
  let t = 1_000_000;
  const board = fakeSwitchboard({ now: () => t });
  const kv = memoryKV();
  const events: string[] = [];
  const reader = createSwitchReader({
    object: () => callBoard(board.ns, (b) => b.read(), 50),
    kv,
    memoryMs: 2_000,
    now: () => t,
    log: (e) => events.push(e),
    ...extra,
  });
  const ctx = () => {
    const pending: Promise<unknown>[] = [];
    return { waitUntil: (p: Promise<unknown>) => void pending.push(p), pending };
  };
  return { board, kv, reader, events, ctx, tick: (ms: number) => (t += ms) };
}

const turnOn = (board: ReturnType<typeof fakeSwitchboard>) =>
  callBoard(board.ns, (b) => b.setReadOnly({ on: true, reason: "Move" }, "ann"), 50);

describe("createSwitchReader", () => {
  it("asks the object once per memory window; a stale copy is served while one waitUntil refreshes it", async () => {
    const { board, reader, ctx, tick } = setup();
    expect((await reader.get()).readOnly.state.on).toBe(false);
    await turnOn(board);
    tick(1_999);
    expect(reader.peek(ctx())?.readOnly.state.on).toBe(false);
    tick(1);
    const c = ctx();
    const during = await Promise.all(Array.from({ length: 10 }, () => reader.get(c)));
    expect(during.every((s) => !s.readOnly.state.on)).toBe(true);
    expect(c.pending).toHaveLength(1);
    await Promise.all(c.pending);
    expect((await reader.get()).readOnly.state.on).toBe(true);
    expect(board.calls.filter((n) => n === "read")).toHaveLength(2);
    expect(reader.source()).toBe("object");
    expect(reader.purgesLive()).toBe(true);
  });

  it("falls back to KV when the object fails, then skips it for the cool-down", async () => {
    const { board, kv, reader, events, tick } = setup({ coolDownMs: 5_000 });
    await reader.get();
    board.down = true;
    await kv.put(READ_ONLY_KEY, JSON.stringify(ON), { metadata: { at: Date.now() + 60_000 } });
    tick(2_000);
    expect((await reader.get()).readOnly.state).toEqual(ON);
    expect(reader.source()).toBe("kv");
    expect(reader.purgesLive()).toBe(false);
    tick(2_000);
    await reader.get();
    expect(board.calls.filter((n) => n === "read")).toHaveLength(2);
    expect(events).toEqual(["switchboard.object_unreachable"]);
    board.down = false;
    tick(4_000);
    await reader.get();
    expect(reader.source()).toBe("object");
  });

  it("treats an object that does not answer in time as unreachable (a hung region)", async () => {
    const { board, reader } = setup();
    board.hang = true;
    const started = Date.now();
    expect((await reader.get()).readOnly.state.on).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(reader.source()).toBe("kv");
  });

  it("never moves a switch back to an older copy, whichever tier answers", async () => {
    const { board, kv, reader, tick } = setup();
    await turnOn(board);
    await reader.get();
    board.down = true;
    // KV still holds the copy from before the change (KV spreads slowly): it must not win.
    await kv.put(READ_ONLY_KEY, JSON.stringify({ ...ON, on: false }), { metadata: { at: 5 } });
    tick(2_000);
    expect((await reader.get()).readOnly.state.on).toBe(true);
  });

  it("keeps the last known switches when everything fails; starts from defaults with nothing known", async () => {
    const { board, kv, reader, events, tick } = setup({ kvTimeoutMs: 20 });
    await turnOn(board);
    await reader.get();
    board.down = true;
    kv.failWith = new Error("KV down");
    tick(2_000);
    expect((await reader.get()).readOnly.state.on).toBe(true);
    expect(events).toEqual(["switchboard.object_unreachable", "switchboard.kv_error"]);

    const fresh = setup({ log: quiet });
    fresh.board.down = true;
    fresh.kv.hang = true;
    const s = await createSwitchReader({
      object: () => callBoard(fresh.board.ns, (b) => b.read(), 20),
      kv: fresh.kv,
      memoryMs: 1_000,
      kvTimeoutMs: 20,
      log: quiet,
    }).get();
    expect(s.readOnly.state.on).toBe(false);
    expect(s.flags).toBeNull();
  });

  it("reads through the location's copy: one object call serves every isolate there", async () => {
    let t = 1_000_000;
    const name = `test-${crypto.randomUUID()}`;
    const board = fakeSwitchboard({ now: () => t });
    const isolates = Array.from({ length: 3 }, () =>
      createSwitchReader({
        object: () => callBoard(board.ns, (b) => b.read(), 50),
        kv: memoryKV(),
        location: createLocationCache({ cacheMs: 1_000, leaseMs: 500, open: () => caches.open(name) }),
        memoryMs: 2_000,
        now: () => t,
        log: quiet,
      }),
    );
    for (const r of isolates) await r.get();
    expect(board.calls).toEqual(["read"]);
    expect(isolates.map((r) => r.source())).toEqual(["object", "location", "location"]);
    // The location's copy came from the object, so its purges are current for every isolate there.
    expect(isolates.map((r) => r.purgesLive())).toEqual([true, true, true]);
    await turnOn(board);
    t += 2_000;
    // The first isolate to find the copy stale takes the lease and asks; the others use the copy meanwhile.
    const [first, ...others] = isolates;
    expect((await first?.get())?.readOnly.state.on).toBe(true);
    for (const r of others) expect((await r.get()).readOnly.state.on).toBe(true);
    expect(board.calls.filter((n) => n === "read")).toHaveLength(2);
  });
});
