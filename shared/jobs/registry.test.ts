// Tests for defineJob / createRegistry / enqueue: typed names, validated payloads, size limit.
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { type Envelope, EnvelopeTooLargeError } from "./envelope.ts";
import { JobPayloadError } from "./errors.ts";
import { buildEnvelope, createEnqueue, createRegistry, defineJob } from "./registry.ts";

const confirm = defineJob({
  name: "confirm",
  schema: z.object({ email: z.email(), note: z.optional(z.string()) }),
  retry: { maxAttempts: 4 },
  handler: async () => {},
});
const ping = defineJob({ name: "ping", schema: z.object({}), writes: false, handler: async () => {} });
const registry = createRegistry(confirm, ping);

function fakeQueue() {
  const sent: { body: Envelope; options?: QueueSendOptions | undefined }[] = [];
  return {
    sent,
    send: async (body: Envelope, options?: QueueSendOptions) => {
      sent.push({ body, options });
      return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } };
    },
  };
}

describe("defineJob", () => {
  it("fills retry defaults and caps the delay at 600 s", () => {
    expect(confirm.retry).toEqual({ maxAttempts: 4, baseDelaySeconds: 5, maxDelaySeconds: 600 });
    const j = defineJob({
      name: "x",
      schema: z.null(),
      retry: { maxDelaySeconds: 5000 },
      handler: async () => {},
    });
    expect(j.retry.maxDelaySeconds).toBe(600);
    expect(j.writes).toBe(true);
  });

  it("rejects a retry policy that can never run", () => {
    expect(() =>
      defineJob({ name: "x", schema: z.null(), retry: { maxAttempts: 0 }, handler: async () => {} }),
    ).toThrow(/maxAttempts/);
  });

  it("refuses two jobs with one name", () => {
    expect(() => createRegistry(ping, ping)).toThrow(/defined twice/);
  });
});

describe("enqueue", () => {
  it("sends a validated envelope with token and delay", async () => {
    const q = fakeQueue();
    const send = createEnqueue(registry);
    const token = { lsn: "0/16B3748", at: 1700000000000 };
    const env = await send(q, "confirm", { email: "ada@example.com" }, { delaySeconds: 10, token });
    expect(q.sent).toHaveLength(1);
    expect(q.sent[0]?.body).toEqual(env);
    expect(q.sent[0]?.options).toEqual({ delaySeconds: 10 });
    expect(env).toMatchObject({ name: "confirm", payload: { email: "ada@example.com" }, token });
    expect(env.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("throws a clear error for a bad payload and sends nothing", async () => {
    const q = fakeQueue();
    const send = createEnqueue(registry);
    const bad = { email: "not-an-email" };
    await expect(send(q, "confirm", bad)).rejects.toThrow(JobPayloadError);
    await expect(send(q, "confirm", bad)).rejects.toThrow(/invalid payload for job "confirm".*email/s);
    expect(q.sent).toEqual([]);
  });

  it("is type-checked by job name and payload", () => {
    // @ts-expect-error unknown job name
    expect(() => buildEnvelope(registry, "nope", {})).toThrow(/unknown job "nope"/);
    // @ts-expect-error payload of the wrong shape
    expect(() => buildEnvelope(registry, "confirm", { mail: "a@b.c" })).toThrow(JobPayloadError);
  });

  it("refuses envelopes over the Queues message limit", () => {
    const note = "x".repeat(130_000);
    expect(() => buildEnvelope(registry, "confirm", { email: "a@example.com", note })).toThrow(
      EnvelopeTooLargeError,
    );
  });

  it("uses an injected id and clock", () => {
    const env = buildEnvelope(registry, "ping", {}, { id: "fixed" }, () => 42);
    expect(env).toEqual({ id: "fixed", name: "ping", payload: {}, enqueuedAt: 42 });
  });
});
