// Replica lag probe: primary WAL position vs each replica's replay position, cached, in /healthz shape.
import { neon } from "@neondatabase/serverless";
import type { HealthSource, WaitUntil } from "./cluster.ts";
import { applySamples, type HealthOptions, type ReplicaSample, type ReplicaStatus } from "./health.ts";
import { lagFromHistory, type Position, PrimaryHistory } from "./lag.ts";
import { lsnDiffBytes, parseLsn } from "./lsn.ts";

export type Reading = {
  ok: boolean;
  recovery?: boolean;
  replayLsn?: string | null;
  receiveLsn?: string | null;
  /** now() - pg_last_xact_replay_timestamp() on the replica. */
  replayAgeSeconds?: number | null;
  error?: string;
};

export type HealthSnapshot = {
  at: number;
  primary: { ok: boolean; lsn: string | null; error?: string };
  replicas: ReplicaStatus[];
};

export type Healthz = {
  primary: { ok: boolean; lsn: string | null };
  replicas: Array<
    Pick<ReplicaStatus, "name" | "ok" | "healthy" | "lagBytes" | "lagSeconds" | "replayLsn" | "reason">
  >;
};

/** Shares snapshots across isolates (KV, Redis); hysteresis state travels with them. */
export type HealthStore = {
  get(): Promise<HealthSnapshot | null>;
  put(snapshot: HealthSnapshot): Promise<void>;
};
export type RunQuery = (url: string, sql: string, timeoutMs: number) => Promise<Record<string, unknown>[]>;

export type ProbeOptions = {
  primaryUrl: string;
  replicas: Array<{ name: string; url: string }>;
  timeoutMs?: number;
  cacheMs?: number;
  store?: HealthStore;
  health?: HealthOptions;
  now?: () => number;
  run?: RunQuery;
};

// Replayed all it received and within this of the primary: WAL in transit, not a lagging replica.
const IN_TRANSIT_BYTES = 64 * 1024;

export const PRIMARY_SQL = "select pg_current_wal_lsn()::text as lsn";
export const REPLICA_SQL = `select pg_is_in_recovery() as recovery,
  (case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end)::text as replay,
  pg_last_wal_receive_lsn()::text as receive,
  extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as age`;

/**
 * Pure. The replay timestamp is that of the last replayed commit, so on an idle primary it grows
 * although nothing is pending: when the replica has replayed up to the primary's position, lag is 0.
 */
export function sampleFromReading(
  name: string,
  primaryLsn: string | null,
  r: Reading,
  at: number,
  history: readonly Position[] = [],
): ReplicaSample {
  const base = { replica: name, at, ...(r.error ? { error: r.error } : {}) };
  const replayLsn = parseLsn(r.replayLsn) === null ? null : (r.replayLsn ?? null);
  if (!r.ok) return { ...base, ok: false, lagBytes: null, lagSeconds: null, replayLsn: null };
  // Not a standby (dev pointing "replicas" at the primary): trivially current.
  if (r.recovery === false) return { ...base, ok: true, lagBytes: 0, lagSeconds: 0, replayLsn };
  const lagBytes = primaryLsn && replayLsn ? lsnDiffBytes(primaryLsn, replayLsn) : null;
  const drained = replayLsn !== null && r.receiveLsn === replayLsn;
  const age = r.replayAgeSeconds ?? null;
  let lagSeconds: number | null;
  if (lagBytes === 0) lagSeconds = 0;
  else if (drained && lagBytes !== null && lagBytes <= IN_TRANSIT_BYTES) lagSeconds = 0;
  else if (lagBytes === null && drained) lagSeconds = 0;
  else
    lagSeconds =
      (replayLsn ? lagFromHistory(history, replayLsn, at, age) : null) ??
      (age === null ? null : Math.max(0, age));
  return { ...base, ok: true, lagBytes, lagSeconds, replayLsn };
}

export function toHealthz(snapshot: HealthSnapshot): Healthz {
  return {
    primary: { ok: snapshot.primary.ok, lsn: snapshot.primary.lsn },
    replicas: snapshot.replicas.map(({ name, ok, healthy, lagBytes, lagSeconds, replayLsn, reason }) => ({
      name,
      ok,
      healthy,
      lagBytes,
      lagSeconds,
      replayLsn,
      reason,
    })),
  };
}

/** Create once per isolate (it holds only a cache, no connections); `source()` feeds createDb. */
export function createProbe(o: ProbeOptions) {
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 1000;
  const cacheMs = o.cacheMs ?? 2000;
  const run = o.run ?? runOverHttp;
  let last: HealthSnapshot | null = null;
  let inflight: Promise<HealthSnapshot> | null = null;
  // Where the primary was and when (probe samples and this isolate's own commits): replica lag is read against it.
  const history = new PrimaryHistory();
  const fresh = (s: HealthSnapshot | null): s is HealthSnapshot => s !== null && now() - s.at < cacheMs;

  const read = async (url: string, sql: string) => {
    try {
      return { row: (await run(url, sql, timeoutMs))[0] ?? {}, error: undefined };
    } catch (error) {
      return { row: undefined, error: error instanceof Error ? error.message : String(error) };
    }
  };

  async function measure(): Promise<HealthSnapshot> {
    const prev = last ?? (await o.store?.get().catch(() => null)) ?? null;
    const [primary, ...replicas] = await Promise.all([
      read(o.primaryUrl, PRIMARY_SQL),
      ...o.replicas.map((r) => read(r.url, REPLICA_SQL)),
    ]);
    const at = now();
    const primaryLsn = typeof primary?.row?.lsn === "string" ? primary.row.lsn : null;
    if (primaryLsn) history.add({ at, lsn: primaryLsn });
    const samples = o.replicas.map((r, i) => {
      const result = replicas[i];
      const row = result?.row;
      const reading: Reading = row
        ? {
            ok: true,
            recovery: row.recovery === true,
            replayLsn: typeof row.replay === "string" ? row.replay : null,
            receiveLsn: typeof row.receive === "string" ? row.receive : null,
            replayAgeSeconds: typeof row.age === "number" ? row.age : null,
          }
        : { ok: false, error: result?.error ?? "no answer" };
      return sampleFromReading(r.name, primaryLsn, reading, at, history.positions());
    });
    const snapshot: HealthSnapshot = {
      at,
      primary: {
        ok: primaryLsn !== null,
        lsn: primaryLsn,
        ...(primary?.error ? { error: primary.error } : {}),
      },
      replicas: applySamples(prev?.replicas ?? [], samples, o.health).filter((s) =>
        o.replicas.some((r) => r.name === s.name),
      ),
    };
    last = snapshot;
    await o.store?.put(snapshot).catch(() => {});
    return snapshot;
  }

  /** One measurement at a time per isolate, however many requests ask. */
  function refresh(): Promise<HealthSnapshot> {
    inflight ??= measure().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  return {
    measure: refresh,
    /** Fresh from memory, else from the shared store, else measured now. */
    async current(): Promise<HealthSnapshot> {
      if (fresh(last)) return last;
      const stored = await o.store?.get().catch(() => null);
      if (fresh(stored ?? null) && stored) {
        last = stored;
        return stored;
      }
      return refresh();
    },
    peek: (): HealthSnapshot | null => last,
    /** Synchronous view for routing; a stale view triggers a background refresh instead of waiting. */
    source(ctx?: WaitUntil): HealthSource {
      if (!fresh(last) && ctx) ctx.waitUntil(refresh().catch(() => undefined));
      return {
        replicas: () => last?.replicas ?? [],
        // A replica failed mid-request: measure again now instead of trusting the cached verdict for 2 s.
        failed: () => {
          if (ctx) ctx.waitUntil(refresh().catch(() => undefined));
        },
        committed: (position) => history.add(position),
      };
    },
  };
}

export type Probe = ReturnType<typeof createProbe>;

async function runOverHttp(url: string, sql: string, timeoutMs: number): Promise<Record<string, unknown>[]> {
  const query = neon(url, { fetchOptions: { signal: AbortSignal.timeout(timeoutMs) } });
  return (await query.query(sql)) as Record<string, unknown>[];
}
