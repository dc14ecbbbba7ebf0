// One database cluster for one request: primary + replicas over HTTP, causal read routing, writes with tokens.
import { neon, Pool } from "@neondatabase/serverless";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { drizzle as drizzleHttp } from "drizzle-orm/neon-http";
import { drizzle as drizzleWs, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { type PgTransactionConfig, type PgWithReplicas, withReplicas } from "drizzle-orm/pg-core";
import type { QueryLog } from "./accounting.ts";
import { chooseReadTarget, type ReadTarget } from "./choose.ts";
import type { ReplicaStatus } from "./health.ts";
import { instrumentHttp, instrumentPgClient, type PoolHooks } from "./instrument.ts";
import type { ClusterUrls } from "./partition.ts";
import * as schema from "./schema.ts";
import { mergeTokens, type RywToken } from "./token.ts";

export type Schema = typeof schema;
export type HttpDb = ReturnType<typeof httpDb>;
/** Replica-routed reads; `batch` is absent at runtime on drizzle's replicas wrapper, so it is hidden here. */
export type ReadDb = Omit<PgWithReplicas<HttpDb>, "batch">;
export type WsTx = Parameters<Parameters<NeonDatabase<Schema>["transaction"]>[0]>[0];
export type WriteItems = readonly [BatchItem<"pg">, ...BatchItem<"pg">[]];

export type HealthSource = {
  replicas(): readonly ReplicaStatus[];
  /** A replica could not be reached mid-request: measure again soon rather than wait out the cache. */
  failed?(error: unknown): void;
  /** This request committed at `lsn`: a precise point of the primary's history for lag estimates. */
  committed?(position: { at: number; lsn: string }): void;
};
export type WaitUntil = { waitUntil(promise: Promise<unknown>): void };
export type Route = ReadTarget & { cluster: string };

/** Shared by every cluster of one request. */
export type RequestState = { token: RywToken | null; routes: Route[] };

export type ClusterOptions = {
  /** "" for the main cluster; partitions prefix their pool names with it. */
  name: string;
  urls: ClusterUrls;
  /** LSN tokens are positions in the main cluster's WAL; other clusters fall back to the time pin. */
  causal: boolean;
  state: RequestState;
  readOnly: boolean;
  forcePrimary: boolean;
  health: HealthSource;
  accounting: QueryLog;
  ctx: WaitUntil;
  pinMs: number;
  /** Per round trip; a replica gets less, so a stuck one leaves time to retry the read on the primary. */
  timeouts: DbTimeouts;
  now: () => number;
  random: () => number;
};

export type DbTimeouts = { primaryMs: number; replicaMs: number };

export type Cluster = ReturnType<typeof createCluster>;

export function replicaName(cluster: string, index: number): string {
  return cluster ? `${cluster}-replica${index}` : `replica${index}`;
}

export function createCluster(o: ClusterOptions) {
  const primaryName = o.name ? `${o.name}-primary` : "primary";
  // A write whose LSN is not captured yet keeps this request's reads on the primary.
  const writes = { started: 0, inflight: 0, uncovered: false };
  const onWrite = () => {
    writes.started += 1;
    writes.inflight += 1;
    writes.uncovered = true;
    return () => {
      writes.inflight -= 1;
      if (!o.causal) o.state.token = mergeTokens(o.state.token, { lsn: "0/0", at: o.now() });
    };
  };
  const primaryHooks: PoolHooks = {
    pool: primaryName,
    kind: "primary",
    log: o.accounting,
    readOnly: o.readOnly,
    onWrite,
    timeoutMs: o.timeouts.primaryMs,
  };
  const primary = httpDb(o.urls.primaryUrl, primaryHooks);
  const names = (o.urls.replicaUrls ?? []).map((_, i) => replicaName(o.name, i));
  const fallback = {
    sql: neon(o.urls.primaryUrl),
    hooks: primaryHooks,
    onFailure: (error: unknown) => {
      o.state.routes.push({ target: "primary", reason: "replica-failed", cluster: o.name || "main" });
      o.health.failed?.(error);
    },
  };
  const replicas = (o.urls.replicaUrls ?? []).map((url, i) =>
    httpDb(url, {
      pool: names[i] ?? "",
      kind: "replica",
      log: o.accounting,
      fallback,
      timeoutMs: o.timeouts.replicaMs,
    }),
  );
  const byName = new Map(names.map((n, i) => [n, replicas[i] ?? primary]));

  const route = (): HttpDb => {
    const statuses = o.health
      .replicas()
      .filter((s) => byName.has(s.name))
      .map((s) => (o.causal ? s : { ...s, replayLsn: null }));
    const decision: ReadTarget = writes.uncovered
      ? { target: "primary", reason: "pinned" }
      : chooseReadTarget({
          replicas: statuses,
          token: o.state.token,
          now: o.now(),
          pinMs: o.pinMs,
          random: o.random,
          forcePrimary: o.forcePrimary,
        });
    o.state.routes.push({ ...decision, cluster: o.name || "main" });
    return byName.get(decision.target) ?? primary;
  };
  const read: ReadDb = withReplicas(primary, [replicas[0] ?? primary, ...replicas.slice(1)], route);

  /** Runs after commit: only then is the commit record inside the position we hand out. */
  const captureLsn = async (query: () => Promise<string>): Promise<RywToken | null> => {
    if (!o.causal) return o.state.token;
    const startedBefore = writes.started;
    const quiet = writes.inflight === 0;
    const token = { lsn: await query(), at: o.now() };
    o.health.committed?.(token);
    if (quiet && writes.started === startedBefore) writes.uncovered = false;
    o.state.token = mergeTokens(o.state.token, token);
    return token;
  };
  const httpLsn = () => captureLsn(async () => lsnOf((await primary.$client.query(LSN_SQL)) as LsnRows));

  return {
    read,
    primary,
    /** A non-interactive write batch on the primary (one round trip), then the token for it. */
    async write<T extends WriteItems>(
      build: (db: HttpDb) => T,
    ): Promise<{ results: BatchResponse<T>; token: RywToken | null }> {
      const results = await primary.batch(build(primary));
      return { results, token: await httpLsn() };
    },
    /** An interactive transaction over WebSocket; the pool is closed after the response. */
    async transaction<T>(
      fn: (tx: WsTx) => Promise<T>,
      config: PgTransactionConfig = {},
    ): Promise<{ result: T; token: RywToken | null }> {
      const ms = o.timeouts.primaryMs;
      // Client-side limits: a stopped server accepts the socket and then never answers.
      const pool = new Pool({
        connectionString: o.urls.primaryUrl,
        connectionTimeoutMillis: ms,
        query_timeout: ms,
      });
      try {
        const client = await pool.connect();
        try {
          instrumentPgClient(client, primaryHooks);
          const db = drizzleWs({ client, schema });
          const accessMode = o.readOnly ? "read only" : config.accessMode;
          const result = await db.transaction(fn, { ...config, ...(accessMode ? { accessMode } : {}) });
          const token = await captureLsn(async () => lsnOf((await client.query(LSN_SQL)).rows as LsnRows));
          return { result, token };
        } finally {
          client.release();
        }
      } finally {
        o.ctx.waitUntil(pool.end());
      }
    },
    /** The token to hand back (cookie/header/job) if this request wrote; captures the LSN if still unknown. */
    async writeToken(): Promise<RywToken | null> {
      if (writes.uncovered && o.causal) return httpLsn();
      return writes.started > 0 ? o.state.token : null;
    },
    wrote: () => writes.started > 0,
    /** A write round trip has started and not ended: the request is waiting on the primary. */
    writing: () => writes.inflight > 0,
  };
}

const LSN_SQL = "select pg_current_wal_lsn()::text as lsn";
type LsnRows = Array<{ lsn?: unknown }>;

function lsnOf(rows: LsnRows): string {
  const lsn = rows[0]?.lsn;
  if (typeof lsn !== "string") throw new Error("pg_current_wal_lsn() returned no position");
  return lsn;
}

function httpDb(url: string, hooks: PoolHooks) {
  return drizzleHttp({ client: instrumentHttp(neon(url), hooks), schema });
}
