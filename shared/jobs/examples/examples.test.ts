// Tests for the example jobs, run through the real consumer with in-memory ports.

import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Email } from "../../email/index.ts";
import { DEFAULT_RETENTION_DAYS } from "../../retention/index.ts";
import { READY_MEMBER } from "../../search/index.ts";
import { FakeSets, MemoryDeadJobs, MemoryLedger } from "../../testing/index.ts";
import type { ErasableBucket } from "../../uploads/index.ts";
import { createConsumer } from "../consume.ts";
import type { Envelope } from "../envelope.ts";
import type { ServicesOf } from "../registry.ts";
import { siteJobHandlers, type UploadBucket, type UploadRows } from "./index.ts";

const PNG_3X2 =
  "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGM4IScHQQxwFgBBAAYZPEVBlgAAAABJRU5ErkJggg==";
const png = () => Uint8Array.from(atob(PNG_3X2), (c) => c.charCodeAt(0));
const key = "u/7/0f8fad5b-d9cb-469f-a165-70867728950e.png";

function world(opts: { allowTestFailures?: boolean; objects?: Record<string, Uint8Array> } = {}) {
  // A mailbox keyed by email id, like the dev mailbox's table: a resent mail lands on the same key.
  const sent = new Map<string, Email>();
  const objects = new Map(Object.entries(opts.objects ?? {}));
  const rowUpdates: string[] = [];
  const drained: string[] = [];
  const batches: number[] = [];
  const continued: { afterId: number; batchSize: number }[] = [];
  const bucket: UploadBucket & ErasableBucket = {
    get: async (k) => {
      const bytes = objects.get(k);
      if (bytes === undefined) return null;
      return {
        size: bytes.byteLength,
        body: new Blob([bytes]).stream(),
        arrayBuffer: async () => bytes.slice().buffer,
      };
    },
    put: async (k, v) => {
      objects.set(k, new TextEncoder().encode(v));
    },
    delete: async (keys) => {
      for (const k of [keys].flat()) objects.delete(k);
    },
    list: async ({ prefix }) => ({
      objects: [...objects.keys()].filter((k) => k.startsWith(prefix)).map((key) => ({ key })),
      truncated: false,
    }),
  };
  const rows: UploadRows = {
    markReady: async (id, k, info) => {
      rowUpdates.push(`${id} ${k} ready ${info.width}x${info.height} ${info.size}`);
      return id === 1;
    },
    markRejected: async (id, _k, reason) => {
      rowUpdates.push(`${id} rejected ${reason}`);
      return id === 1;
    },
  };
  const ledger = new MemoryLedger();
  const dead = new MemoryDeadJobs();
  const sets = new FakeSets();
  // The database's view of the facets: ada (user 1) registered for event 2, which has talk 5; talk 5 is about
  // caching, and no other talk of event 2 is about anything.
  const talkTopics = new Map<number, string[]>([[5, ["caching"]]]);
  const consume = createConsumer(siteJobHandlers, {
    ledger,
    dead,
    queue: { send: async () => ({ metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } }) },
    services: {
      drainCounters: async ({ jobId }) => {
        drained.push(jobId);
      },
      // A table of 45 rows with ids 1..45: batches return the last id they looked at.
      backfillCityBatch: async (afterId, size) => {
        batches.push(afterId);
        const last = Math.min(afterId + size, 45);
        return { lastId: afterId >= 45 ? null : last, updated: Math.max(0, last - afterId) };
      },
      continueBackfill: async (payload) => void continued.push(payload),
      retention: DEFAULT_RETENTION_DAYS,
      pruneBatch: async () => 0,
      continuePrune: async () => {},
      mail: { name: "memory", send: async (m) => void (sent.has(m.id) || sent.set(m.id, m)) },
      registrations: {
        find: async (slug, email) =>
          slug === "summit" && email === "ada@example.com"
            ? { registrationId: 3, eventId: 2, eventName: "Summit" }
            : null,
      },
      allowTestFailures: opts.allowTestFailures ?? false,
      uploadsBucket: bucket,
      uploadRows: rows,
      facetTruth: {
        userSets: async (email) =>
          email === "ada@example.com" ? [{ key: "sf:user:1", members: ["e:2", "t:5"] }] : [],
        talkTopicMoves: async (talkId) => {
          if (talkId !== 5) return [];
          const now = talkTopics.get(5) ?? [];
          const keys = (inside: boolean) =>
            ["caching", "queues"].filter((t) => now.includes(t) === inside).map((t) => `sf:topic:${t}`);
          return [
            { member: "t:5", into: keys(true), outOf: keys(false) },
            { member: "e:2", into: keys(true), outOf: keys(false) },
          ];
        },
      },
      facetSets: sets,
    },
    random: () => 0,
    log: () => {},
  });
  const deliver = async (body: Envelope, attempts: number) => {
    const batch = createMessageBatch("edgeplate-jobs", [
      { id: `m${attempts}`, timestamp: 1, attempts, body },
    ]);
    const ctx = createExecutionContext();
    await consume(batch, {}, ctx);
    return getQueueResult(batch, ctx);
  };
  return {
    sent,
    objects,
    rowUpdates,
    drained,
    batches,
    continued,
    ledger,
    dead,
    deliver,
    sets,
    talkTopics,
  };
}

const confirmation = (failTimes?: number): Envelope => ({
  id: "job-1",
  name: "send-confirmation",
  enqueuedAt: 1,
  payload: { eventSlug: "summit", email: "ada@example.com", name: "Ada", failTimes },
});

describe("send-confirmation", () => {
  it("sends one email despite two failed attempts after sending (failTimes: 2)", async () => {
    const w = world({ allowTestFailures: true });
    const results = [];
    for (let attempts = 1; attempts <= 3; attempts++)
      results.push(await w.deliver(confirmation(2), attempts));
    expect(results.map((r) => r.retryMessages.length)).toEqual([1, 1, 0]);
    expect(results[2]?.explicitAcks).toEqual(["m3"]);
    expect(w.sent.size).toBe(1);
    expect(w.sent.get("job-1")).toMatchObject({
      to: "ada@example.com",
      kind: "registration-confirmation",
      subject: "You're registered: Summit",
    });
    expect(await w.ledger.has("job-1")).toBe(true);
    // A fourth (duplicate) delivery runs nothing.
    expect((await w.deliver(confirmation(2), 4)).explicitAcks).toEqual(["m4"]);
  });

  it("sends nothing for a registration that no longer exists, and completes", async () => {
    const w = world();
    const gone = {
      ...confirmation(),
      payload: { eventSlug: "summit", email: "gone@example.com", name: "G" },
    };
    expect((await w.deliver(gone, 1)).explicitAcks).toEqual(["m1"]);
    expect(w.sent.size).toBe(0);
    expect(await w.ledger.has("job-1")).toBe(true);
  });

  it("derives one job id per registration from its natural key", async () => {
    const { confirmationJobId } = await import("./index.ts");
    const a = await confirmationJobId("summit", "ada@example.com");
    expect(a).toMatch(/^confirm:[0-9a-f]{24}$/);
    expect(await confirmationJobId("summit", "ada@example.com")).toBe(a);
    expect(await confirmationJobId("summit", "bob@example.com")).not.toBe(a);
    expect(a).not.toContain("ada");
  });

  it("ignores failTimes unless test failures are allowed", async () => {
    const w = world();
    const r = await w.deliver(confirmation(2), 1);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect(w.sent.size).toBe(1);
  });
});

describe("process-upload", () => {
  const job = (uploadId = 1, k = key): Envelope => ({
    id: "up-1",
    name: "process-upload",
    enqueuedAt: 1,
    payload: { key: k, uploadId },
  });

  it("records dimensions and size, and stores <key>.meta.json", async () => {
    const w = world({ objects: { [key]: png() } });
    const r = await w.deliver(job(), 1);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect(w.rowUpdates).toEqual([`1 ${key} ready 3x2 73`]);
    const meta = JSON.parse(new TextDecoder().decode(w.objects.get(`${key}.meta.json`)));
    expect(meta).toEqual({ key, uploadId: 1, contentType: "image/png", width: 3, height: 2, size: 73 });
  });

  it("retries while the object is not uploaded yet", async () => {
    const w = world();
    const r = await w.deliver(job(), 1);
    expect(r.retryMessages.map((m) => m.msgId)).toEqual(["m1"]);
    expect(w.rowUpdates).toEqual([]);
  });

  it("rejects and deletes an object that is not the promised image type", async () => {
    const w = world({ objects: { [key]: new TextEncoder().encode("GIF89a\x03\x00\x02\x00") } });
    const r = await w.deliver(job(), 1);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect(w.rowUpdates[0]).toMatch(/^1 rejected not a readable image\/png/);
    expect(w.objects.has(key)).toBe(false);
  });

  it("rejects and deletes an oversize object", async () => {
    const w = world({ objects: { [key]: new Uint8Array(5 * 1024 * 1024 + 1) } });
    await w.deliver(job(), 1);
    expect(w.rowUpdates[0]).toMatch(/^1 rejected too large/);
    expect(w.objects.has(key)).toBe(false);
  });

  it("kills a job whose key is not an upload key at once", async () => {
    const w = world();
    const r = await w.deliver(job(1, "../../etc/passwd"), 1);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect((await w.dead.list())[0]?.error).toContain("not an upload key");
  });
});

describe("search-facets", () => {
  const job = (payload: unknown, id = "sf-1"): Envelope => ({
    id,
    name: "search-facets",
    enqueuedAt: 1,
    payload,
  });

  it("rewrites the registrant's whole 'registered for' set, ready marker included", async () => {
    const w = world();
    w.sets.sets.set("sf:user:1", new Set(["e:9"]));
    expect((await w.deliver(job({ kind: "user", email: "ada@example.com" }), 1)).explicitAcks).toEqual([
      "m1",
    ]);
    expect(w.sets.members("sf:user:1")).toEqual([READY_MEMBER, "e:2", "t:5"].sort());
  });

  it("moves a talk and its event between topic sets as the database has them now, whatever ran before", async () => {
    const w = world();
    await w.deliver(job({ kind: "talk", talkId: 5 }, "sf-a"), 1);
    w.talkTopics.set(5, ["queues"]);
    await w.deliver(job({ kind: "talk", talkId: 5 }, "sf-b"), 1);
    // A late repeat of the first job reads the same (current) truth: nothing goes back.
    await w.deliver(job({ kind: "talk", talkId: 5 }, "sf-c"), 1);
    expect(w.sets.members("sf:topic:caching")).toEqual([]);
    expect(w.sets.members("sf:topic:queues")).toEqual(["e:2", "t:5"]);
  });

  it("refuses a payload that names neither a user nor a talk", async () => {
    const w = world();
    await w.deliver(job({ kind: "talk", talkId: 0 }), 1);
    expect((await w.dead.list())[0]?.error).toContain("search-facets");
  });

  it("derives one job id per registration", async () => {
    const { userFacetsJobId } = await import("./index.ts");
    const a = await userFacetsJobId("summit", "ada@example.com");
    expect(a).toMatch(/^search-user:[0-9a-f]{24}$/);
    expect(await userFacetsJobId("summit", "ada@example.com")).toBe(a);
    expect(await userFacetsJobId("other", "ada@example.com")).not.toBe(a);
  });
});

describe("flush-counters", () => {
  it("calls the wired drain function with the job id", async () => {
    const w = world();
    await w.deliver({ id: "f-1", name: "flush-counters", enqueuedAt: 1, payload: {} }, 1);
    expect(w.drained).toEqual(["f-1"]);
  });
});

describe("backfill-city", () => {
  it("runs batches until one returns no last id, and continues as a new job when a run's share is done", async () => {
    const w = world();
    await w.deliver({ id: "b-1", name: "backfill-city", enqueuedAt: 1, payload: { batchSize: 10 } }, 1);
    expect(w.batches).toEqual([0, 10, 20, 30, 40, 45]);
    expect(w.continued).toEqual([]);
    const big = world();
    await big.deliver({ id: "b-2", name: "backfill-city", enqueuedAt: 1, payload: { batchSize: 1 } }, 1);
    expect(big.batches).toHaveLength(20);
    expect(big.continued).toEqual([{ afterId: 20, batchSize: 1 }]);
  });
});

describe("ServicesOf", () => {
  // Checked by the type checker in npm test: a consumer must be given every service its handlers use.
  it("requires every service the registry's handlers need", () => {
    type Services = ServicesOf<typeof siteJobHandlers>;
    expectTypeOf<Services>().toHaveProperty("uploadsBucket");
    expectTypeOf<Services>().toHaveProperty("uploadRows");
    expectTypeOf<Services>().toHaveProperty("registrations");
    expectTypeOf<Services>().toHaveProperty("drainCounters");
    expectTypeOf<Services>().not.toHaveProperty("queue");
  });
});
