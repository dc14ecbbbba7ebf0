// Replica failure, lag-aware routing and /healthz, through the real path.

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, inject, it } from "vitest";
import { BYPASS_COOKIE } from "../shared/cache/index.ts";
import { encodeToken, RYW_COOKIE } from "../shared/db/index.ts";
import { app as originApp } from "../workers/origin/app.ts";
import { control, eventually, site, sql } from "./helpers.ts";
import { type Healthz, healthz, originRead, replicaState, routesOf, SEEDED } from "./replica-helpers.ts";

describe("replica failure and lag", () => {
  afterEach(async () => {
    // Always leave the stack as the other files expect it: replica up with the real 1 s apply delay.
    await control("replica/start", "?applyDelayMs=1000");
    await replicaState((r) => r.healthy, 20_000);
  });

  it("reads go to the primary while the replica is down, and back to it once it is up", async () => {
    await control("replica/stop");
    const down = await replicaState((r) => !r.ok && !r.healthy);
    expect(down).toMatchObject({ reason: "unreachable", lagBytes: null, lagSeconds: null });
    for (let i = 0; i < 3; i++) {
      const read = await originRead();
      expect(read.status).toBe(200);
      expect(read.body).toContain("Edge Summit 2027");
      expect(read.routes).toEqual([{ target: "primary", reason: "none-healthy", cluster: "main" }]);
    }
    const { status, body } = await healthz();
    expect(status).toBe(200);
    expect(body.ok).toBe(true);

    await control("replica/start", "?applyDelayMs=1000");
    await replicaState((r) => r.ok && r.healthy && r.reason === "ok");
    const back = await originRead();
    expect(back.routes).toEqual([{ target: "replica0", reason: "no-token", cluster: "main" }]);
  });

  // Before the probe notices (its verdict is cached ~2 s), a read sent to a dead replica retries on the primary.
  it("a read routed to a replica that has just died still succeeds", async () => {
    await replicaState((r) => r.healthy);
    await control("replica/stop");
    const read = await originRead();
    expect(read.status).toBe(200);
  });

  // The age of the last replayed commit is the length of a quiet spell; lag is read against the primary's history.
  it("a replica 1 s behind is not reported past the 2 s threshold after a quiet spell", async () => {
    await replicaState((r) => r.healthy && r.lagBytes === 0);
    // The quiet spell: nothing replayed for over 3 s (the state that used to read as 3 s of lag).
    await eventually(async () => {
      const [row] = (await sql("replica")`
        select extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as age`) as {
        age: number;
      }[];
      return (row?.age ?? 0) > 3;
    }, 15_000);
    await sql()`update events set version = version where slug = ${SEEDED}`;
    const { body } = await healthz();
    expect(body.replicas[0]?.lagBytes ?? 0).toBeGreaterThan(0);
    expect(body.replicas[0]?.healthy).toBe(true);
  });

  it("a replica lagging past the 2 s threshold is taken out (reason lagging) and put back once caught up", async () => {
    await control("replica/start", "?applyDelayMs=4000");
    // Something to lag on: a write the replica will hold back for 4 s.
    await sql()`update events set version = version where slug = ${SEEDED}`;
    const lagging = await replicaState((r) => r.reason === "lagging", 10_000);
    expect(lagging.healthy).toBe(false);
    expect(lagging.ok).toBe(true);
    expect(lagging.lagSeconds ?? 0).toBeGreaterThan(2);
    expect(lagging.lagBytes ?? 0).toBeGreaterThan(0);
    const read = await originRead();
    expect(read.status).toBe(200);
    expect(read.routes).toEqual([{ target: "primary", reason: "none-healthy", cluster: "main" }]);

    await control("replica/start", "?applyDelayMs=1000");
    const back = await replicaState((r) => r.healthy && r.reason === "ok", 20_000);
    expect(back.lagSeconds ?? 99).toBeLessThanOrEqual(1);
    expect((await originRead()).routes[0]?.target).toBe("replica0");
  });
});

describe("/healthz", () => {
  it("reports the primary's position, each replica's lag and verdict, Redis and the queue", async () => {
    const { status, body } = await healthz();
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.primary.ok).toBe(true);
    expect(body.primary.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(body.replicas).toHaveLength(1);
    const replica = body.replicas[0];
    expect(replica).toMatchObject({ name: "replica0", ok: true });
    expect(typeof replica?.healthy).toBe("boolean");
    expect(typeof replica?.lagBytes).toBe("number");
    expect(typeof replica?.lagSeconds).toBe("number");
    expect(replica?.replayLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(body.redis).toMatchObject({ ok: true, configured: true });
    expect(body.queue).toEqual({ ok: true, binding: "JOBS" });
    const res = (await site("/healthz")).res;
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 with primary.ok false when the primary is unreachable (origin app, dead DATABASE_URL)", async () => {
    // The shared primary must stay up for the other files, so this drives the origin app in-process
    // with the same vars as the bundled origin but a primary nobody listens on.
    const vars = inject("workerVars").origin;
    const dead = new URL(vars.DATABASE_URL ?? "postgres://postgres@127.0.0.1/edgeplate");
    dead.port = "1";
    const originEnv = {
      ...vars,
      SESSION_COOKIE: "sid",
      R2_BUCKET: "edgeplate-uploads",
      DATABASE_URL: dead.toString(),
      CONFIG: env.CONFIG,
      JOBS: { send: async () => {}, sendBatch: async () => {} },
    } as unknown as OriginEnv;
    const ctx = createExecutionContext();
    const res = await originApp.fetch(new Request("http://origin.internal/healthz"), originEnv, ctx);
    await waitOnExecutionContext(ctx);
    const body = (await res.json()) as Healthz;
    expect(res.status).toBe(503);
    expect(body.ok).toBe(false);
    expect(body.primary).toEqual({ ok: false, lsn: null });
    // The replica is still measured; without the primary's position its lag in bytes is unknown.
    expect(body.replicas[0]?.lagBytes).toBeNull();
  });
});

describe("routing by the reader's token", () => {
  it("no token and a caught-up token read a replica; a token ahead of every replica reads the primary", async () => {
    const secret = inject("workerVars").origin.EDGE_SECRET ?? "";
    await replicaState((r) => r.healthy);
    // The bypass cookie makes every request an origin read through the same edge path, whatever the token.
    const modes = {
      "no token → replica": async () => `${BYPASS_COOKIE}=1`,
      // Old enough that the probe sample is newer, and at a position every replica has passed.
      "caught-up token → replica": async () =>
        `${BYPASS_COOKIE}=1; ${RYW_COOKIE}=${await encodeToken({ lsn: "0/1", at: Date.now() - 10_000 }, secret)}`,
      // A position no replica has reached: the read must go to the primary.
      "token ahead → primary": async () =>
        `${BYPASS_COOKIE}=1; ${RYW_COOKIE}=${await encodeToken({ lsn: "FFFF/0", at: Date.now() }, secret)}`,
    } as const;
    const targets = new Map<string, Set<string>>();
    for (let i = 0; i < 5; i++) {
      for (const [name, cookie] of Object.entries(modes)) {
        const r = await site(`/events/${SEEDED}`, { headers: { cookie: await cookie() } });
        expect(r.res.status).toBe(200);
        const set = targets.get(name) ?? new Set<string>();
        for (const route of routesOf(r.res)) set.add(`${route.target}/${route.reason}`);
        targets.set(name, set);
      }
    }
    expect(targets.get("no token → replica")).toEqual(new Set(["replica0/no-token"]));
    expect(targets.get("caught-up token → replica")).toEqual(new Set(["replica0/caught-up"]));
    expect([...(targets.get("token ahead → primary") ?? [])].every((t) => t.startsWith("primary/"))).toBe(
      true,
    );
  });
});
