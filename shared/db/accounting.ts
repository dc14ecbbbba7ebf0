// Per-request query log: round trips, statements and time per pool, slow-query lines, Server-Timing.
import { log } from "../log/index.ts";

export type PoolKind = "primary" | "replica" | "named";

/** One round trip: a batch is one entry with several statements. */
export type QueryLogEntry = {
  pool: string;
  kind: PoolKind;
  sql: string[];
  ms: number;
  ok: boolean;
  error?: string;
};

export type PoolSummary = {
  pool: string;
  kind: PoolKind;
  roundTrips: number;
  statements: number;
  ms: number;
};

export type QueryLogOptions = {
  /** Round trips slower than this are logged as one JSON line (default 200 ms). */
  slowMs?: number;
  onSlow?: (fields: SlowQuery) => void;
  now?: () => number;
};

/** What a slow-query log line says (SQL text with placeholders, never the parameters). */
export type SlowQuery = { pool: string; ms: number; sql: string[] };

export class QueryLog {
  readonly entries: QueryLogEntry[] = [];
  readonly #slowMs: number;
  readonly #onSlow: (fields: SlowQuery) => void;
  readonly #now: () => number;

  constructor(opts: QueryLogOptions = {}) {
    this.#slowMs = opts.slowMs ?? 200;
    this.#onSlow = opts.onSlow ?? ((fields) => log.warn("slow query", fields));
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Times one round trip and records it even when it fails (a failing query is still a query). */
  async time<T>(pool: string, kind: PoolKind, sql: string[], run: () => Promise<T>): Promise<T> {
    const start = this.#now();
    try {
      const result = await run();
      this.record({ pool, kind, sql, ms: this.#now() - start, ok: true });
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.record({ pool, kind, sql, ms: this.#now() - start, ok: false, error: message });
      throw error;
    }
  }

  record(entry: QueryLogEntry): void {
    this.entries.push(entry);
    if (entry.ms >= this.#slowMs) {
      this.#onSlow({ pool: entry.pool, ms: round(entry.ms), sql: entry.sql });
    }
  }

  summary(): PoolSummary[] {
    return summarise(this.entries);
  }

  /** `db-primary;dur=3.2;desc="2 queries"` per pool, comma-separated, for the Server-Timing header. */
  serverTiming(): string {
    return this.summary()
      .map((s) => {
        const queries = `${s.statements} ${s.statements === 1 ? "query" : "queries"}`;
        const desc =
          s.roundTrips === s.statements
            ? queries
            : `${queries} in ${s.roundTrips} round trip${s.roundTrips === 1 ? "" : "s"}`;
        return `db-${s.pool.replace(/[^A-Za-z0-9_-]/g, "-")};dur=${round(s.ms)};desc="${desc}"`;
      })
      .join(", ");
  }
}

export function summarise(entries: readonly QueryLogEntry[]): PoolSummary[] {
  const pools = new Map<string, PoolSummary>();
  for (const e of entries) {
    const s = pools.get(e.pool) ?? { pool: e.pool, kind: e.kind, roundTrips: 0, statements: 0, ms: 0 };
    s.roundTrips += 1;
    s.statements += e.sql.length;
    s.ms += e.ms;
    pools.set(e.pool, s);
  }
  return [...pools.values()];
}

// SQL is clipped so the X-Query-Log header stays within header limits on long queries.
const MAX_SQL = 400;

/** Base64 JSON for the X-Query-Log header (dev/test only: it reveals SQL). */
export function encodeQueryLog(entries: readonly QueryLogEntry[]): string {
  const clipped = entries.map((e) => ({ ...e, ms: round(e.ms), sql: e.sql.map((s) => s.slice(0, MAX_SQL)) }));
  const bytes = new TextEncoder().encode(JSON.stringify(clipped));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function decodeQueryLog(header: string | null | undefined): QueryLogEntry[] {
  if (!header) return [];
  const binary = atob(header);
  const parsed: unknown = JSON.parse(
    new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
  );
  if (!Array.isArray(parsed)) throw new TypeError("X-Query-Log is not a list");
  return parsed as QueryLogEntry[];
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
