import { describe, expect, it } from "vitest";
import {
  createProbe,
  type HealthSnapshot,
  PRIMARY_SQL,
  type RunQuery,
  sampleFromReading,
  toHealthz,
} from "./probe.ts";

describe("sampleFromReading", () => {
  it("reports zero lag on an idle primary although the last replayed commit is old", () => {
    const s = sampleFromReading("r0", "0/3000", { ok: true, replayLsn: "0/3000", replayAgeSeconds: 3600 }, 1);
    expect(s).toMatchObject({ ok: true, lagBytes: 0, lagSeconds: 0, replayLsn: "0/3000" });
  });

  it("uses the replay age when the replica is behind", () => {
    const s = sampleFromReading(
      "r0",
      "1/0",
      { ok: true, replayLsn: "0/0", receiveLsn: "0/0", replayAgeSeconds: 5 },
      1,
    );
    expect(s).toMatchObject({ lagBytes: 2 ** 32, lagSeconds: 5 });
    const applying = { ok: true, replayLsn: "0/100", receiveLsn: "0/900", replayAgeSeconds: 3 };
    expect(sampleFromReading("r0", "0/1000", applying, 1).lagSeconds).toBe(3);
  });

  it("treats a few KB still in transit to a drained replica as no lag", () => {
    const r = { ok: true, replayLsn: "0/1000", receiveLsn: "0/1000", replayAgeSeconds: 900 };
    expect(sampleFromReading("r0", "0/1400", r, 1)).toMatchObject({ lagBytes: 0x400, lagSeconds: 0 });
  });

  it("marks unreachable replicas and non-standbys", () => {
    expect(sampleFromReading("r0", "0/1", { ok: false, error: "timeout" }, 1)).toMatchObject({
      ok: false,
      lagSeconds: null,
      error: "timeout",
    });
    const primaryAsReplica = sampleFromReading(
      "r0",
      "0/9",
      { ok: true, recovery: false, replayLsn: "0/9" },
      1,
    );
    expect(primaryAsReplica).toMatchObject({ lagBytes: 0, lagSeconds: 0 });
  });
});

function fakeCluster(replay: () => string | Error, age = 10, receive?: string) {
  let calls = 0;
  const run: RunQuery = async (_url, sql) => {
    calls += 1;
    if (sql === PRIMARY_SQL) return [{ lsn: "0/5000" }];
    const value = replay();
    if (value instanceof Error) throw value;
    return [{ recovery: true, replay: value, receive: receive ?? value, age }];
  };
  return { run, calls: () => calls };
}

describe("createProbe", () => {
  it("measures and produces the /healthz shape", async () => {
    const { run } = fakeCluster(() => "0/5000");
    const probe = createProbe({
      primaryUrl: "p",
      replicas: [{ name: "replica0", url: "r" }],
      run,
      now: () => 1000,
    });
    expect(toHealthz(await probe.current())).toEqual({
      primary: { ok: true, lsn: "0/5000" },
      replicas: [
        {
          name: "replica0",
          ok: true,
          healthy: true,
          lagBytes: 0,
          lagSeconds: 0,
          replayLsn: "0/5000",
          reason: "ok",
        },
      ],
    });
  });

  it("caches briefly and measures once for concurrent callers", async () => {
    let t = 0;
    const fake = fakeCluster(() => "0/5000");
    const probe = createProbe({
      primaryUrl: "p",
      replicas: [{ name: "r0", url: "r" }],
      run: fake.run,
      now: () => t,
    });
    await Promise.all([probe.current(), probe.current(), probe.current()]);
    expect(fake.calls()).toBe(2);
    t = 1999;
    await probe.current();
    expect(fake.calls()).toBe(2);
    t = 2000;
    await probe.current();
    expect(fake.calls()).toBe(4);
  });

  it("takes out a failing replica and applies hysteresis across measurements", async () => {
    const replays: Array<string | Error> = ["0/5000", new Error("timeout"), "0/4000", "0/5000"];
    const fake = fakeCluster(() => replays.shift() ?? "0/5000", 1.5, "0/5000");
    const probe = createProbe({ primaryUrl: "p", replicas: [{ name: "r0", url: "r" }], run: fake.run });
    const reasons: string[] = [];
    for (let i = 0; i < 4; i++) reasons.push((await probe.measure()).replicas[0]?.reason ?? "");
    // Still applying 4 KB, 1.5 s since the last replayed commit: under 2 s, but not under the 1 s needed to return.
    expect(reasons).toEqual(["ok", "unreachable", "catching-up", "ok"]);
  });

  it("shares snapshots through the store and serves routing synchronously", async () => {
    const saved: HealthSnapshot[] = [];
    const store = {
      get: async () => saved[saved.length - 1] ?? null,
      put: async (s: HealthSnapshot) => void saved.push(s),
    };
    const fake = fakeCluster(() => "0/5000");
    const a = createProbe({
      primaryUrl: "p",
      replicas: [{ name: "r0", url: "r" }],
      run: fake.run,
      store,
      now: () => 10,
    });
    await a.current();
    const b = createProbe({
      primaryUrl: "p",
      replicas: [{ name: "r0", url: "r" }],
      run: fake.run,
      store,
      now: () => 20,
    });
    expect(b.source().replicas()).toEqual([]);
    await b.current();
    expect(fake.calls()).toBe(2);
    expect(b.source().replicas()[0]?.healthy).toBe(true);
  });

  it("refreshes a stale view in the background", async () => {
    const fake = fakeCluster(() => "0/5000");
    const probe = createProbe({ primaryUrl: "p", replicas: [{ name: "r0", url: "r" }], run: fake.run });
    const waited: Promise<unknown>[] = [];
    const source = probe.source({ waitUntil: (p) => void waited.push(p) });
    expect(source.replicas()).toEqual([]);
    await Promise.all(waited);
    expect(source.replicas()).toHaveLength(1);
  });
});
