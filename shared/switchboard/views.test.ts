// The read-only switch over the switchboard: changed and audited at the object; KV alone, with a warning, without it.
import { afterAll, describe, expect, it } from "vitest";
import { setLogSink } from "../log/index.ts";
import { READ_ONLY_KEY } from "../readonly/index.ts";
import { fakeSwitchboard, memoryKV } from "../testing/index.ts";
import { callBoard, KV_ONLY_WARNING } from "./client.ts";
import { readCopies } from "./kv-copies.ts";
import { createSwitchReader } from "./reader.ts";
import { readOnlyStore } from "./views.ts";

afterAll(setLogSink(() => {}));

function setup() {
  const board = fakeSwitchboard();
  const kv = memoryKV();
  const reader = createSwitchReader({
    object: () => callBoard(board.ns, (b) => b.read(), 50),
    kv,
    memoryMs: 60_000,
    log: () => {},
  });
  return { board, kv, reader, store: readOnlyStore(reader, { ns: board.ns, kv }) };
}

describe("readOnlyStore", () => {
  it("applies a change at the object, from its state (not this isolate's copy), visible here at once", async () => {
    const { board, store } = setup();
    expect((await store.get()).on).toBe(false);
    // Another location switched it on meanwhile; this isolate's copy (60 s memory) does not know yet.
    await callBoard(board.ns, (b) => b.setReadOnly({ on: true, reason: "Move" }, "ann"), 50);
    const updated = await store.apply({ on: true, retryAfter: 60 }, "bob");
    expect(updated).toEqual({ state: expect.objectContaining({ on: true, reason: "Move", retryAfter: 60 }) });
    expect((await store.get()).retryAfter).toBe(60);
    expect((await store.audit(10)).map((e) => [e.action, e.actor])).toEqual([
      ["readonly.update", "bob"],
      ["readonly.on", "ann"],
    ]);
  });

  it("writes KV alone, stamped, with a warning when the object cannot be reached", async () => {
    const { board, kv, store } = setup();
    await store.get();
    board.down = true;
    const applied = await store.apply({ on: true, reason: "Incident" }, "ann");
    expect(applied.warning).toBe(KV_ONLY_WARNING);
    expect(applied.state).toMatchObject({ on: true, reason: "Incident", by: "ann" });
    expect(JSON.parse(kv.data.get(READ_ONLY_KEY) ?? "{}")).toMatchObject({ on: true });
    expect((await store.get()).on).toBe(true);
    // When the object is back it takes the newer KV copy over (its cron kick).
    board.down = false;
    board.adopt(await readCopies(kv, 100));
    expect(board.state.readOnly.state).toMatchObject({ on: true, reason: "Incident" });
    board.down = true;
    await expect(store.audit(5)).rejects.toMatchObject({ status: 503 });
  });
});
