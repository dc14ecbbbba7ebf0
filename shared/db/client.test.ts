import { eq } from "drizzle-orm";
import { HTTPException } from "hono/http-exception";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeHandler, installFakeNeon, replicaStatus } from "../testing/index.ts";
import { QueryLog } from "./accounting.ts";
import { assertQueries } from "./assert-queries.ts";
import { type CreateDbOptions, createDb } from "./client.ts";
import { DatabaseTimeoutError, DatabaseUnavailable, mapDbError } from "./errors.ts";
import type { ReplicaStatus } from "./health.ts";
import { events } from "./schema.ts";

const NOW = 1_800_000_000_000;
let restore = () => {};
afterEach(() => restore());

const status = (name: string, over: Partial<ReplicaStatus> = {}): ReplicaStatus =>
  replicaStatus(name, NOW, over);

const answer: FakeHandler = (host, q) => {
  if (q.query.includes("pg_current_wal_lsn")) return { fields: ["lsn"], rows: [["0/5000"]] };
  if (q.query.startsWith("insert") && host.startsWith("primary")) return { fields: ["id"], rows: [["7"]] };
  if (q.query.startsWith("update")) return { fields: [], rows: [] };
  if (q.query.includes("set_config")) return { fields: ["set_config"], rows: [["30000"]] };
  return { fields: ["id", "name"], rows: [["1", host]] };
};

function setup(over: Partial<CreateDbOptions> = {}, statuses = [status("replica0")], handler = answer) {
  const fake = installFakeNeon(handler);
  restore = fake.restore;
  const log = new QueryLog({ onSlow: () => {} });
  const waited: Promise<unknown>[] = [];
  const db = createDb({
    primaryUrl: "postgres://u:p@primary.db.test/app",
    replicaUrls: ["postgres://u:p@replica0.db.test/app"],
    health: { replicas: () => statuses },
    accounting: log,
    ctx: { waitUntil: (p) => void waited.push(p) },
    now: () => NOW,
    random: () => 0,
    ...over,
  });
  return { db, log, calls: fake.calls };
}

const readName = (db: ReturnType<typeof createDb>) =>
  db.read.select({ id: events.id, name: events.name }).from(events).limit(1);

describe("createDb routing", () => {
  it("sends reads to a healthy replica and accounts for them", async () => {
    const { db, log, calls } = setup();
    const rows = await readName(db);
    expect(rows).toEqual([{ id: 1, name: "replica0.db.test" }]);
    expect(calls.map((c) => c.host)).toEqual(["replica0.db.test"]);
    expect(db.routes()).toEqual([{ target: "replica0", reason: "no-token", cluster: "main" }]);
    assertQueries(log.entries, { max: 1, min: 1, on: "replica", roundTrips: 1 });
    assertQueries(log.entries, { max: 0, on: "primary" });
    expect(log.serverTiming()).toMatch(/^db-replica0;dur=[\d.]+;desc="1 query"$/);
  });

  it("reads from the primary when the replica has not replayed the reader's write", async () => {
    const token = { lsn: "0/2000", at: NOW - 10_000 };
    const { db, calls } = setup({ token }, [status("replica0", { replayLsn: "0/1FFF" })]);
    await readName(db);
    expect(calls[0]?.host).toBe("primary.db.test");
    expect(db.routes()[0]?.reason).toBe("lagging");
  });

  it("reads from the replica once it has replayed the write", async () => {
    const token = { lsn: "0/2000", at: NOW - 10_000 };
    const { db, calls } = setup({ token }, [status("replica0", { replayLsn: "0/2000" })]);
    await readName(db);
    expect(calls[0]?.host).toBe("replica0.db.test");
  });

  it("uses the primary when there are no replicas or none is healthy", async () => {
    const { db, calls } = setup({ replicaUrls: [] }, []);
    await readName(db);
    const sick = setup({}, [status("replica0", { healthy: false })]);
    await readName(sick.db);
    expect([calls[0]?.host, sick.calls[0]?.host]).toEqual(["primary.db.test", "primary.db.test"]);
    expect(sick.db.routes()[0]?.reason).toBe("none-healthy");
  });
});

describe("createDb writes", () => {
  it("writes in one batch, captures the LSN after commit, and pins later reads", async () => {
    const { db, log, calls } = setup();
    const { results, token } = await db.write((p) => [
      p
        .insert(events)
        .values({ slug: "a", name: "A", venue: "V", city: "Oslo", startsAt: new Date(NOW) })
        .returning({ id: events.id }),
      p.update(events).set({ name: "B" }).where(eq(events.id, 1)),
    ]);
    expect(results[0]).toEqual([{ id: 7 }]);
    expect(token).toEqual({ lsn: "0/5000", at: NOW });
    expect(calls[0]).toMatchObject({ host: "primary.db.test", batch: true });
    expect(calls[0]?.queries).toHaveLength(2);
    expect(calls[1]?.queries[0]?.query).toContain("pg_current_wal_lsn");
    // The replica's status predates the write, so within the pin the read stays on the primary.
    await readName(db);
    expect(calls[2]?.host).toBe("primary.db.test");
    expect(db.routes()[0]?.reason).toBe("pinned");
    expect(await db.writeToken()).toEqual({ lsn: "0/5000", at: NOW });
    expect(calls).toHaveLength(3);
    assertQueries(log.entries, { max: 4, on: "primary", roundTrips: 3 });
  });

  it("keeps reads on the primary after a raw write and captures its LSN on demand", async () => {
    const { db, calls } = setup();
    await db.primary.update(events).set({ name: "C" }).where(eq(events.id, 1));
    await readName(db);
    expect(calls[1]?.host).toBe("primary.db.test");
    expect(db.routes()[0]).toMatchObject({ target: "primary", reason: "pinned" });
    expect(await db.writeToken()).toEqual({ lsn: "0/5000", at: NOW });
    expect(calls[2]?.queries[0]?.query).toContain("pg_current_wal_lsn");
  });

  it("issues no token when nothing was written", async () => {
    const { db, calls } = setup({ token: { lsn: "0/1", at: NOW } });
    await readName(db);
    expect(await db.writeToken()).toBeNull();
    expect(calls).toHaveLength(1);
  });
});

describe("read-only mode", () => {
  const refuse: FakeHandler = (host, q) =>
    q.query.startsWith("insert") || q.query.startsWith("update")
      ? { error: "cannot execute INSERT in a read-only transaction", code: "25006" }
      : answer(host, q);

  it("runs primary statements as READ ONLY batches and turns the refusal into a 503", async () => {
    const { db, calls } = setup({ readOnly: true }, undefined, refuse);
    const write = db.write((p) => [p.update(events).set({ name: "X" }).where(eq(events.id, 1))]);
    const error = mapDbError(await write.catch((e: unknown) => e));
    expect(error).toBeInstanceOf(HTTPException);
    const res = (error as HTTPException).getResponse();
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("60");
    expect(calls[0]?.headers["neon-batch-read-only"]).toBe("true");
  });

  it("also makes single primary queries read-only (drizzle wraps the error; mapDbError unwraps it)", async () => {
    const { db, calls } = setup({ readOnly: true }, undefined, refuse);
    const error = await db.primary
      .update(events)
      .set({ name: "X" })
      .catch((e: unknown) => e);
    expect(calls[0]).toMatchObject({ batch: true, headers: { "neon-batch-read-only": "true" } });
    expect((mapDbError(error) as HTTPException).status).toBe(503);
    // Reads still work on the primary in read-only mode.
    const rows = await db.primary.select({ id: events.id }).from(events);
    expect(rows).toEqual([{ id: 1 }]);
  });
});

describe("deadlines", () => {
  const hangOn =
    (prefix: string): FakeHandler =>
    (host, q) =>
      host.startsWith(prefix) ? "hang" : answer(host, q);

  it("abandons a replica that stops answering and reads from the primary within the request", async () => {
    const { db, calls } = setup(
      { timeouts: { replicaMs: 30, primaryMs: 1_000 } },
      undefined,
      hangOn("replica"),
    );
    const rows = await readName(db);
    expect(rows).toEqual([{ id: 1, name: "primary.db.test" }]);
    expect(calls.map((c) => c.host)).toEqual(["replica0.db.test", "primary.db.test"]);
    expect(db.routes().map((r) => r.reason)).toEqual(["no-token", "replica-failed"]);
  });

  it("fails a stuck primary with DatabaseTimeoutError instead of hanging", async () => {
    const { db } = setup({ timeouts: { replicaMs: 30, primaryMs: 40 } }, [], hangOn("primary"));
    const started = Date.now();
    const error = await db.write((p) => [p.update(events).set({ name: "X" })]).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(DatabaseTimeoutError);
    expect(mapDbError(error)).toBeInstanceOf(DatabaseUnavailable);
  });
});

describe("named databases and partitions", () => {
  it("sets a statement timeout in the same round trip and counts only the real statement", async () => {
    const { db, log, calls } = setup({
      named: { reporting: { url: "postgres://u:p@reporting.db.test/app", statementTimeoutMs: 30_000 } },
    });
    const rows = await db.named("reporting").select({ id: events.id }).from(events);
    expect(rows).toEqual([{ id: 1 }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.queries.map((q) => q.query)[0]).toContain("set_config('statement_timeout'");
    expect(calls[0]?.queries[0]?.params).toEqual(["30000"]);
    assertQueries(log.entries, { max: 1, min: 1, on: "named", roundTrips: 1 });
    expect(() => db.named("nope")).toThrow(/no database named "nope"/);
  });

  it("routes a tenant to its database and time-pins its reads after a write", async () => {
    const { db, calls } = setup(
      {
        partitions: {
          databases: {
            eu: {
              primaryUrl: "postgres://u:p@eu-primary.db.test/app",
              replicaUrls: ["postgres://u:p@eu-r0.db.test/a"],
            },
          },
          fallback: "eu",
        },
      },
      [status("replica0"), status("eu-replica0", { replayLsn: "9/0", at: NOW - 100 })],
    );
    const eu = db.partition("acme");
    await eu.read.select({ id: events.id }).from(events);
    expect(calls[0]?.host).toBe("eu-r0.db.test");
    await eu.primary.update(events).set({ name: "Z" });
    await eu.read.select({ id: events.id }).from(events);
    expect(calls[2]?.host).toBe("eu-primary.db.test");
    // Partition writes yield a time-only token: no LSN query against a foreign WAL.
    expect(await db.writeToken()).toEqual({ lsn: "0/0", at: NOW });
    expect(calls).toHaveLength(3);
  });
});
