// The local Postgres: a primary plus a streaming hot-standby replica, as child processes of this Node process.
import { join, resolve } from "node:path";
import pg from "pg";
import { cloneReplica, ensureRoot, initPrimary, isCluster, isReplica } from "./pg-cluster.ts";
import { PG_DATABASE, pgUrl, REPLICA_APP_NAME, serverArgs } from "./pg-config.ts";
import { assertPortFree, clearStalePid, pgBinaries, type Server, startServer } from "./pg-process.ts";
import { assertTraversable, resolveRunAs } from "./pg-user.ts";

export type PgStack = {
  /** postgresql://postgres:postgres@127.0.0.1:<primaryPort>/<PG_DATABASE> */
  primaryUrl: string;
  /** postgresql://postgres:postgres@127.0.0.1:<replicaPort>/<PG_DATABASE> (read-only) */
  replicaUrl: string;
  stopReplica(): Promise<void>;
  /** Waits until the replica streams again; applyDelayMs overrides the delay for this start. */
  startReplica(opts?: { applyDelayMs?: number }): Promise<void>;
  /** Postmaster pids, for fault tests that freeze a server (null when it is not running). */
  pids(): { primary: number | null; replica: number | null };
  stop(): Promise<void>;
};

export type StartPostgresOptions = {
  dataDir: string;
  primaryPort: number;
  replicaPort: number;
  /** recovery_min_apply_delay on the replica, for real replication lag in tests. Default 0. */
  applyDelayMs?: number;
  log: (line: string) => void;
};

const STREAM_TIMEOUT_MS = 10_000;

async function query(port: number, database: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: pgUrl(port, database) });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const rows = await query(port, "postgres", `select 1 from pg_database where datname = '${PG_DATABASE}'`);
  if (rows.length === 0) await query(port, "postgres", `create database ${PG_DATABASE}`);
}

async function waitForStreaming(primaryPort: number, timeoutMs: number): Promise<void> {
  const sql = `select 1 from pg_stat_replication where application_name = '${REPLICA_APP_NAME}' and state = 'streaming'`;
  const deadline = Date.now() + timeoutMs;
  while ((await query(primaryPort, "postgres", sql)).length === 0) {
    if (Date.now() > deadline) throw new Error(`replica is not streaming after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startPostgres(opts: StartPostgresOptions): Promise<PgStack> {
  const { primaryPort, replicaPort, log } = opts;
  const started = Date.now();
  // Fail fast, before any initdb or copy, with the port in the message.
  await assertPortFree(primaryPort, "pg-primary");
  await assertPortFree(replicaPort, "pg-replica");
  const since = (t: number) => `${Date.now() - t} ms`;
  const bins = await pgBinaries();
  const runAs = await resolveRunAs();
  const dataDir = resolve(opts.dataDir);
  const primaryDir = join(dataDir, "primary");
  const replicaDir = join(dataDir, "replica");
  await ensureRoot(dataDir, runAs);
  await assertTraversable(primaryDir, runAs);
  let applyDelayMs = opts.applyDelayMs ?? 0;

  const startPrimary = () =>
    startServer(bins.postgres, {
      name: "pg-primary",
      port: primaryPort,
      args: serverArgs(primaryDir, primaryPort),
      readyLine: "ready to accept connections",
      runAs,
      log,
    });
  const startStandby = async (): Promise<Server> => {
    await clearStalePid(replicaDir, log);
    const t = Date.now();
    const server = await startServer(bins.postgres, {
      name: "pg-replica",
      port: replicaPort,
      args: serverArgs(replicaDir, replicaPort, { primaryPort, applyDelayMs }),
      readyLine: "ready to accept read-only connections",
      runAs,
      log,
    });
    try {
      await waitForStreaming(primaryPort, STREAM_TIMEOUT_MS);
    } catch (err) {
      await server.stop();
      throw err;
    }
    log(`replica streaming ${since(t)} after its start (apply delay ${applyDelayMs} ms)`);
    return server;
  };

  let fresh = false;
  if (isCluster(primaryDir)) {
    await clearStalePid(primaryDir, log);
  } else {
    const t = Date.now();
    await initPrimary(bins.initdb, primaryDir, runAs);
    log(`initdb ${primaryDir} in ${since(t)}`);
    fresh = true;
  }
  let primary = await startPrimary();
  let replica: Server | undefined;
  try {
    await ensureDatabase(primaryPort);
    if (fresh || !isReplica(replicaDir)) {
      // The copy must be cold, and made after CREATE DATABASE so a delayed replica has it at once.
      await primary.stop();
      await cloneReplica(primaryDir, replicaDir, runAs);
      primary = await startPrimary();
    }
    try {
      replica = await startStandby();
    } catch (err) {
      log(`replica failed (${(err as Error).message}); rebuilding it from a cold copy of the primary`);
      await primary.stop();
      await cloneReplica(primaryDir, replicaDir, runAs);
      primary = await startPrimary();
      replica = await startStandby();
    }
  } catch (err) {
    await primary.stop();
    throw err;
  }
  log(`postgres primary :${primaryPort} + replica :${replicaPort} up in ${since(started)}`);

  const stopReplica = async () => {
    const r = replica;
    replica = undefined;
    await r?.stop();
  };
  return {
    primaryUrl: pgUrl(primaryPort),
    replicaUrl: pgUrl(replicaPort),
    stopReplica,
    pids: () => ({ primary: primary.pid, replica: replica?.pid ?? null }),
    async startReplica(o) {
      if (o?.applyDelayMs !== undefined) applyDelayMs = o.applyDelayMs;
      if (replica) await stopReplica();
      replica = await startStandby();
    },
    async stop() {
      await stopReplica();
      await primary.stop();
    },
  };
}
