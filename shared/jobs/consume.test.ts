// Tests for the queue consumer inside workerd: ack/retry/hold/dead decisions as Queues sees them.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { MemoryDeadJobs, MemoryLedger } from "../testing/index.ts";
import { createConsumer, createDeadLetterConsumer, type JobEvent } from "./consume.ts";
import type { Envelope } from "./envelope.ts";
import { HoldError } from "./errors.ts";
import { createRegistry, defineJob } from "./registry.ts";

type Calls = { ran: string[] };

const greet = defineJob({
  name: "greet",
  schema: z.object({ who: z.string() }),
  retry: { maxAttempts: 3, baseDelaySeconds: 4, maxDelaySeconds: 60 },
  handler: async (p, ctx: { services: Calls; jobId: string }) => {
    ctx.services.ran.push(`${ctx.jobId}:${p.who}`);
  },
});
const poison = defineJob({
  name: "poison",
  schema: z.object({}),
  retry: { maxAttempts: 3, baseDelaySeconds: 4, maxDelaySeconds: 60 },
  handler: async () => {
    throw new Error("boom");
  },
});
const held = defineJob({
  name: "held",
  schema: z.object({}),
  handler: async () => {
    throw new HoldError();
  },
});
const pgReadOnly = defineJob({
  name: "pg-read-only",
  schema: z.object({}),
  handler: async () => {
    throw new Error("query failed", {
      cause: { code: "25006", message: "cannot execute INSERT in a read-only transaction" },
    });
  },
});
const reader = defineJob({
  name: "reader",
  schema: z.object({}),
  writes: false,
  handler: async (_p, ctx: { services: Calls; jobId: string }) => {
    ctx.services.ran.push(ctx.jobId);
  },
});
const registry = createRegistry(greet, poison, held, pgReadOnly, reader);

function env(id: string, name: string, payload: unknown, extra: Partial<Envelope> = {}): Envelope {
  return { id, name, payload, enqueuedAt: 1, ...extra };
}

function setup(opts: { readOnly?: boolean } = {}) {
  const ledger = new MemoryLedger();
  const dead = new MemoryDeadJobs();
  const sent: { body: Envelope; delaySeconds?: number | undefined }[] = [];
  const events: JobEvent[] = [];
  const services: Calls = { ran: [] };
  const queue = {
    send: async (body: Envelope, o?: QueueSendOptions) => {
      sent.push({ body, delaySeconds: o?.delaySeconds });
      return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } };
    },
  };
  const consume = createConsumer(registry, {
    ledger,
    dead,
    queue,
    services,
    random: () => 0.999999,
    log: (e) => events.push(e),
    readOnly: () => opts.readOnly ?? false,
  });
  const run = async (messages: { id: string; attempts: number; body: unknown }[]) => {
    const batch = createMessageBatch(
      "edgeplate-jobs",
      messages.map((m) => ({ ...m, timestamp: new Date(1000) })),
    );
    // getQueueResult (vitest-plugin 1.4.10) drops retry delays, so record them on the way through.
    const delays = new Map<string, number | undefined>();
    for (const m of batch.messages) {
      const retry = m.retry.bind(m);
      Object.defineProperty(m, "retry", {
        value: (o?: QueueRetryOptions) => {
          delays.set(m.id, o?.delaySeconds);
          retry(o);
        },
      });
    }
    const ctx = createExecutionContext();
    await consume(batch, {}, ctx);
    const result = await getQueueResult(batch, ctx);
    return {
      ...result,
      retryMessages: result.retryMessages.map((r) => ({ ...r, delaySeconds: delays.get(r.msgId) })),
    };
  };
  return { ledger, dead, sent, events, services, run };
}

describe("createConsumer", () => {
  it("runs a job, records it in the ledger and acks it", async () => {
    const t = setup();
    const r = await t.run([{ id: "m1", attempts: 1, body: env("j1", "greet", { who: "ada" }) }]);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect(r.retryMessages).toEqual([]);
    expect(t.services.ran).toEqual(["j1:ada"]);
    expect(await t.ledger.has("j1")).toBe(true);
  });

  it("acks a redelivered job already in the ledger without running it", async () => {
    const t = setup();
    await t.ledger.record("j1", "greet");
    const r = await t.run([{ id: "m1", attempts: 2, body: env("j1", "greet", { who: "ada" }) }]);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect(t.services.ran).toEqual([]);
    expect(t.events[0]?.outcome).toBe("duplicate");
  });

  it("retries a failure with capped exponential backoff", async () => {
    const t = setup();
    const r = await t.run([
      { id: "m1", attempts: 1, body: env("j1", "poison", {}) },
      { id: "m2", attempts: 2, body: env("j2", "poison", {}) },
    ]);
    expect(r.explicitAcks).toEqual([]);
    expect(r.retryMessages).toEqual([
      { msgId: "m1", delaySeconds: 4 },
      { msgId: "m2", delaySeconds: 8 },
    ]);
    expect(await t.dead.list()).toEqual([]);
  });

  it("records a poison job dead after maxAttempts and acks it", async () => {
    const t = setup();
    const r = await t.run([{ id: "m1", attempts: 3, body: env("j1", "poison", {}) }]);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect(r.retryMessages).toEqual([]);
    const [dead] = await t.dead.list();
    expect(dead).toMatchObject({ jobId: "j1", name: "poison", attempts: 3, error: "Error: boom" });
    expect(await t.ledger.has("j1")).toBe(false);
  });

  it("counts failures spent by earlier copies (envelope.attempt)", async () => {
    const t = setup();
    const r = await t.run([{ id: "m1", attempts: 1, body: env("j1", "poison", {}, { attempt: 2 }) }]);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect((await t.dead.list())[0]?.attempts).toBe(3);
  });

  it("kills a schema-invalid payload at once instead of retrying it", async () => {
    const t = setup();
    const r = await t.run([{ id: "m1", attempts: 1, body: env("j1", "greet", { who: 42 }) }]);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect(r.retryMessages).toEqual([]);
    const [dead] = await t.dead.list();
    expect(dead?.error).toContain('invalid payload for job "greet"');
    expect(dead?.error).toContain("who");
    expect(t.services.ran).toEqual([]);
  });

  it("kills unknown jobs and malformed envelopes at once", async () => {
    const t = setup();
    const r = await t.run([
      { id: "m1", attempts: 1, body: env("j1", "nope", {}) },
      { id: "m2", attempts: 1, body: "not an envelope" },
    ]);
    expect(r.explicitAcks.sort()).toEqual(["m1", "m2"]);
    const ids = (await t.dead.list()).map((d) => d.jobId).sort();
    expect(ids).toEqual(["j1", "msg:m2"]);
  });

  it("holds a HoldError: re-enqueued copy with a delay, acked, not dead, attempt not counted", async () => {
    const t = setup();
    const r = await t.run([{ id: "m1", attempts: 2, body: env("j1", "held", {}, { attempt: 1 }) }]);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect(r.retryMessages).toEqual([]);
    expect(await t.dead.list()).toEqual([]);
    expect(t.sent).toHaveLength(1);
    const [copy] = t.sent;
    // 1 failure from an earlier copy + 1 failed delivery of this copy; the hold itself is free.
    expect(copy?.body).toMatchObject({ id: "j1", name: "held", attempt: 2, holds: 1 });
    expect(copy?.delaySeconds).toBeGreaterThanOrEqual(5);
  });

  it("holds a Postgres read-only refusal (SQLSTATE 25006) even past maxAttempts", async () => {
    const t = setup();
    const r = await t.run([{ id: "m1", attempts: 9, body: env("j1", "pg-read-only", {}, { holds: 4 }) }]);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect(await t.dead.list()).toEqual([]);
    expect(t.sent[0]?.body.holds).toBe(5);
  });

  it("in read-only mode holds writing jobs without running them, but runs read-only jobs", async () => {
    const t = setup({ readOnly: true });
    const r = await t.run([
      { id: "m1", attempts: 1, body: env("j1", "greet", { who: "ada" }) },
      { id: "m2", attempts: 1, body: env("j2", "reader", {}) },
    ]);
    expect(r.explicitAcks.sort()).toEqual(["m1", "m2"]);
    expect(t.services.ran).toEqual(["j2"]);
    expect(t.sent.map((s) => s.body.id)).toEqual(["j1"]);
    expect(await t.ledger.has("j1")).toBe(false);
  });

  it("retries instead of acking when the dead-job store fails (nothing is lost)", async () => {
    const t = setup();
    t.dead.record = async () => {
      throw new Error("db down");
    };
    const r = await t.run([{ id: "m1", attempts: 3, body: env("j1", "poison", {}) }]);
    expect(r.explicitAcks).toEqual([]);
    expect(r.retryMessages).toEqual([{ msgId: "m1", delaySeconds: 30 }]);
  });
});

describe("createDeadLetterConsumer", () => {
  it("records whatever arrives on the DLQ, skipping jobs the ledger says finished", async () => {
    const dead = new MemoryDeadJobs();
    const ledger = new MemoryLedger();
    await ledger.record("done", "greet");
    const consume = createDeadLetterConsumer({ dead, ledger, platformMaxRetries: 5, log: () => {} });
    const batch = createMessageBatch("edgeplate-jobs-dlq", [
      { id: "m1", timestamp: 1, attempts: 1, body: env("j1", "poison", { x: 1 }) },
      { id: "m2", timestamp: 1, attempts: 1, body: env("done", "greet", {}) },
    ]);
    const ctx = createExecutionContext();
    await consume(batch, {}, ctx);
    const r = await getQueueResult(batch, ctx);
    expect(r.explicitAcks.sort()).toEqual(["m1", "m2"]);
    const list = await dead.list();
    expect(list.map((d) => d.jobId)).toEqual(["j1"]);
    expect(list[0]).toMatchObject({ name: "poison", payload: { x: 1 }, attempts: 6 });
    expect(list[0]?.error).toContain("edgeplate-jobs-dlq");
  });
});
