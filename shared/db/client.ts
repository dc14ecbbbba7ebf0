// createDb: the per-request data layer (never module-level): replica-routed reads, primary writes, tokens.

import { neon } from "@neondatabase/serverless";
import { drizzle as drizzleHttp } from "drizzle-orm/neon-http";
import type { QueryLog } from "./accounting.ts";
import {
  type Cluster,
  createCluster,
  type DbTimeouts,
  type HealthSource,
  type HttpDb,
  type RequestState,
  type Route,
  type WaitUntil,
} from "./cluster.ts";
import { instrumentHttp } from "./instrument.ts";
import { type PartitionConfig, routePartition } from "./partition.ts";
import * as schema from "./schema.ts";
import type { RywToken } from "./token.ts";

export type NamedDatabase = { url: string; statementTimeoutMs?: number };

export type CreateDbOptions = {
  primaryUrl: string;
  replicaUrls: string[];
  /** Separate databases for long queries, e.g. `reporting` (Disqus, Eventbrite). */
  named?: Record<string, NamedDatabase>;
  partitions?: PartitionConfig;
  /** Maintenance: writes run READ ONLY so Postgres refuses them, surfaced as 503. */
  readOnly?: boolean;
  /** The reader's last write (cookie, header or job message), already verified. */
  token?: RywToken | null;
  /** Every read to the primary (admin pages, a ?fresh=1 debug switch). */
  forcePrimary?: boolean;
  health: HealthSource;
  accounting: QueryLog;
  ctx: WaitUntil;
  pinMs?: number;
  /** Per round trip deadlines; defaults suit a request budget of a few seconds. */
  timeouts?: Partial<DbTimeouts>;
  now?: () => number;
  random?: () => number;
};

export type Db = Pick<Cluster, "read" | "primary" | "write" | "transaction"> & {
  named(name: string): HttpDb;
  /** The cluster holding `key`'s rows (tenant → database from `partitions`). */
  partition(key: string): Pick<Cluster, "read" | "primary" | "write" | "transaction">;
  /** The token to re-issue if this request wrote anywhere (null otherwise). May cost one round trip. */
  writeToken(): Promise<RywToken | null>;
  /** A write round trip is still waiting on a primary (a request that ran out of time while it did). */
  writing(): boolean;
  /** Every read-routing decision this request made, in order (for debug headers and tests). */
  routes(): readonly Route[];
};

export const DEFAULT_TIMEOUTS: DbTimeouts = { primaryMs: 2_000, replicaMs: 800 };

export function createDb(opts: CreateDbOptions): Db {
  const state: RequestState = { token: opts.token ?? null, routes: [] };
  const clusterOptions = {
    state,
    readOnly: opts.readOnly ?? false,
    forcePrimary: opts.forcePrimary ?? false,
    health: opts.health,
    accounting: opts.accounting,
    ctx: opts.ctx,
    pinMs: opts.pinMs ?? 2000,
    timeouts: { ...DEFAULT_TIMEOUTS, ...opts.timeouts },
    now: opts.now ?? Date.now,
    random: opts.random ?? Math.random,
  };
  const main = createCluster({
    ...clusterOptions,
    name: "",
    causal: true,
    urls: { primaryUrl: opts.primaryUrl, replicaUrls: opts.replicaUrls },
  });
  const named = new Map<string, HttpDb>();
  const partitions = new Map<string, Cluster>();

  return {
    read: main.read,
    primary: main.primary,
    write: main.write,
    transaction: main.transaction,
    named(name) {
      const config = opts.named?.[name];
      if (!config) throw new Error(`no database named "${name}" is configured`);
      let db = named.get(name);
      if (!db) {
        const client = instrumentHttp(neon(config.url), {
          pool: name,
          kind: "named",
          log: opts.accounting,
          ...(config.statementTimeoutMs ? { statementTimeoutMs: config.statementTimeoutMs } : {}),
          // Long reports may run up to their statement timeout; the client waits a little longer than Postgres.
          timeoutMs: (config.statementTimeoutMs ?? clusterOptions.timeouts.primaryMs) + 1_000,
        });
        db = drizzleHttp({ client, schema });
        named.set(name, db);
      }
      return db;
    },
    partition(key) {
      if (!opts.partitions) throw new Error("no partitions are configured");
      const name = routePartition(key, opts.partitions);
      let cluster = partitions.get(name);
      if (!cluster) {
        const urls = opts.partitions.databases[name] ?? { primaryUrl: opts.primaryUrl };
        cluster = createCluster({ ...clusterOptions, name, causal: false, urls });
        partitions.set(name, cluster);
      }
      return cluster;
    },
    async writeToken() {
      const token = await main.writeToken();
      const wroteElsewhere = [...partitions.values()].some((p) => p.wrote());
      return token ?? (wroteElsewhere ? state.token : null);
    },
    writing: () => main.writing() || [...partitions.values()].some((p) => p.writing()),
    routes: () => state.routes,
  };
}

/**
 * A primary-only database for work outside a page request (jobs, the edge's RPC calls): every query timed and
 * bounded by `timeoutMs`. Create one per call or batch, never per isolate.
 */
export function createPrimaryDb(opts: { url: string; timeoutMs: number; accounting: QueryLog }): HttpDb {
  const client = instrumentHttp(neon(opts.url), {
    pool: "primary",
    kind: "primary",
    log: opts.accounting,
    timeoutMs: opts.timeoutMs,
  });
  return drizzleHttp({ client, schema });
}
