// Tests for listing and rerunning dead jobs.
import { describe, expect, it } from "vitest";
import { MemoryDeadJobs } from "../testing/index.ts";
import type { Envelope } from "./envelope.ts";
import { listDeadJobs, rerunDeadJob } from "./rerun.ts";

function queue(fail = false) {
  const sent: Envelope[] = [];
  return {
    sent,
    send: async (body: Envelope) => {
      if (fail) throw new Error("queue unavailable");
      sent.push(body);
      return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } };
    },
  };
}

async function deadStore() {
  const dead = new MemoryDeadJobs();
  await dead.record({
    jobId: "j1",
    name: "send-confirmation",
    payload: { a: 1 },
    error: "boom",
    attempts: 5,
  });
  await dead.record({ jobId: "j2", name: "process-upload", payload: { b: 2 }, error: "bad", attempts: 1 });
  return dead;
}

describe("rerunDeadJob", () => {
  it("re-enqueues with the same id and payload, attempt reset, and marks it rerun", async () => {
    const dead = await deadStore();
    const q = queue();
    const env = await rerunDeadJob({ dead, queue: q, now: () => 7 }, "j1");
    expect(env).toEqual({
      id: "j1",
      name: "send-confirmation",
      payload: { a: 1 },
      enqueuedAt: 7,
      attempt: 0,
    });
    expect(q.sent).toEqual([env]);
    expect((await listDeadJobs(dead)).map((j) => j.jobId)).toEqual(["j2"]);
    const all = await listDeadJobs(dead, { includeRerun: true });
    expect(all.find((j) => j.jobId === "j1")?.rerunAt).toBeInstanceOf(Date);
  });

  it("does not rerun a job twice, nor an unknown one", async () => {
    const dead = await deadStore();
    const q = queue();
    await rerunDeadJob({ dead, queue: q }, "j1");
    expect(await rerunDeadJob({ dead, queue: q }, "j1")).toBeNull();
    expect(await rerunDeadJob({ dead, queue: q }, "nope")).toBeNull();
    expect(q.sent).toHaveLength(1);
  });

  it("puts the job back on the dead list when the enqueue fails", async () => {
    const dead = await deadStore();
    await expect(rerunDeadJob({ dead, queue: queue(true) }, "j1")).rejects.toThrow(/queue unavailable/);
    const [first] = await listDeadJobs(dead);
    expect(first).toMatchObject({ jobId: "j1", rerunAt: null });
    expect(first?.error).toContain("rerun enqueue failed");
  });

  it("a job that dies again after a rerun is listed again", async () => {
    const dead = await deadStore();
    await rerunDeadJob({ dead, queue: queue() }, "j2");
    await dead.record({
      jobId: "j2",
      name: "process-upload",
      payload: { b: 2 },
      error: "again",
      attempts: 1,
    });
    expect((await listDeadJobs(dead)).map((j) => j.jobId)).toEqual(["j2", "j1"]);
  });
});
