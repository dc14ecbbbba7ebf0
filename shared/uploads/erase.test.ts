import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createConsumer, createRegistry } from "../jobs/index.ts";
import { MemoryDeadJobs, MemoryLedger } from "../testing/index.ts";
import { type ErasableBucket, eraseUserFiles } from "./erase.ts";

function bucket(keys: string[], page = 2) {
  const objects = new Set(keys);
  const b: ErasableBucket = {
    list: async ({ prefix }) => {
      const all = [...objects].filter((k) => k.startsWith(prefix)).sort();
      return { objects: all.slice(0, page).map((key) => ({ key })), truncated: all.length > page };
    },
    delete: async (k) => {
      for (const key of [k].flat()) objects.delete(key);
    },
  };
  return { b, objects };
}

describe("erase-user-files", () => {
  it("deletes every object under the user's prefix, page by page, and nobody else's", async () => {
    const { b, objects } = bucket([
      "u/7/a.png",
      "u/7/a.png.meta.json",
      "u/7/b.jpg",
      "u/70/c.png",
      "u/8/d.png",
    ]);
    const consume = createConsumer(createRegistry(eraseUserFiles), {
      ledger: new MemoryLedger(),
      dead: new MemoryDeadJobs(),
      queue: { send: async () => ({ metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } }) },
      services: { uploadsBucket: b },
      log: () => {},
    });
    const batch = createMessageBatch("jobs", [
      {
        id: "m1",
        timestamp: 1,
        attempts: 1,
        body: { id: "e-1", name: "erase-user-files", enqueuedAt: 1, payload: { userId: 7 } },
      },
    ]);
    const ctx = createExecutionContext();
    await consume(batch, {}, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m1"]);
    expect([...objects].sort()).toEqual(["u/70/c.png", "u/8/d.png"]);
  });
});
