import { describe, expect, it } from "vitest";
import { snapshotVersion } from "../flags/index.ts";
import { setLogSink } from "../log/index.ts";
import { KV_ONLY_WARNING } from "../switchboard/index.ts";
import { fakeSwitchboard, memoryFlagStore, memoryKV } from "../testing/index.ts";
import { SNAPSHOT_KEY } from "./edge-snapshot.ts";
import { buildSnapshot, publishedVersion, publishFrom, writeSnapshot } from "./publish.ts";

const rows = {
  checkout: { state: "selective", conditions: [{ type: "segment", segment: "staff" }] },
  "segment:staff": { conditions: [{ type: "tags", tags: ["staff"] }] },
};

describe("buildSnapshot", () => {
  it("splits segments from flags and versions the content", async () => {
    const store = memoryFlagStore(rows);
    const built = await buildSnapshot(await store.rows());
    if (!built.ok) throw new Error(built.problems.join());
    expect(Object.keys(built.snapshot.flags)).toEqual(["checkout"]);
    expect(Object.keys(built.snapshot.segments)).toEqual(["staff"]);
    expect(built.snapshot.version).toBe(await snapshotVersion(built.snapshot.flags, built.snapshot.segments));
  });

  it("reports whole-snapshot problems (dangling segment, cycles)", async () => {
    const built = await buildSnapshot([
      { key: "a", doc: { state: "on", conditions: [{ type: "segment", segment: "gone" }] } },
      { key: "b", doc: { state: "on", requires: [{ flag: "c" }] } },
      { key: "c", doc: { state: "on", requires: [{ flag: "b" }] } },
    ]);
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.problems.join("\n")).toMatch(/unknown segment "gone"/);
    expect(built.problems.join("\n")).toMatch(/flags\.b\.requires forms a cycle/);
  });
});

describe("publishFrom", () => {
  it("writes the snapshot to KV once, skipping identical republishes", async () => {
    const kv = memoryKV();
    const store = memoryFlagStore(rows);
    const { version } = await publishFrom(store, kv);
    expect(await publishedVersion(kv)).toBe(version);
    expect(JSON.parse(kv.data.get(SNAPSHOT_KEY) ?? "{}").flags.checkout.state).toBe("selective");
    expect(await publishFrom(store, kv)).toEqual({ version });
    expect(kv.writes).toBe(1);
  });

  it("never publishes a broken snapshot: KV keeps the last good one", async () => {
    const kv = memoryKV();
    const store = memoryFlagStore(rows);
    const { version: good } = await publishFrom(store, kv);
    store.data.delete("segment:staff");
    await expect(publishFrom(store, kv)).rejects.toMatchObject({ status: 409 });
    expect(await publishedVersion(kv)).toBe(good);
  });

  it("publishes to the switchboard, audited under the actor; to KV alone with a warning when it is away", async () => {
    const restore = setLogSink(() => {});
    const kv = memoryKV();
    const board = fakeSwitchboard();
    const store = memoryFlagStore(rows);
    const { version } = await publishFrom(store, kv, { board: board.ns, actor: "ann" });
    expect(board.state.flags?.version).toBe(version);
    expect(board.audit).toMatchObject([{ action: "flags.publish", actor: "ann", after: version }]);
    expect(await publishedVersion(kv, board.ns)).toBe(version);
    // The object keeps KV's copy itself; this path wrote nothing there.
    expect(kv.writes).toBe(0);
    board.down = true;
    await store.put("other", { state: "on" }, "ann");
    const fallback = await publishFrom(store, kv, { board: board.ns });
    expect(fallback.warning).toBe(KV_ONLY_WARNING);
    expect(await publishedVersion(kv, board.ns)).toBe(fallback.version);
    restore();
  });

  it("retries a rejected KV write (one write per second per key) and gives up after the retries", async () => {
    const kv = memoryKV();
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const store = memoryFlagStore(rows);
    const built = await buildSnapshot(await store.rows());
    if (!built.ok) throw new Error("invalid");
    const put = kv.put.bind(kv);
    let calls = 0;
    kv.put = (async (...args: Parameters<typeof put>) => {
      calls++;
      if (calls === 1) throw new Error("429 too many writes");
      return put(...args);
    }) as typeof kv.put;
    expect(await writeSnapshot(kv, built.snapshot, { sleep })).toBe(true);
    expect(waits).toEqual([1100]);

    const down = memoryKV();
    down.put = (async () => {
      throw new Error("KV down");
    }) as typeof kv.put;
    await expect(writeSnapshot(down, built.snapshot, { sleep: async () => {}, retries: 2 })).rejects.toThrow(
      "KV down",
    );
  });
});
