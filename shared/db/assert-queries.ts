// Test helper in the spirit of Disqus' assertQueryCount: fail loudly, listing every query, when a page over-queries.
import type { QueryLogEntry } from "./accounting.ts";

export type QueryExpectation = {
  /** Most statements allowed on the selected pools. */
  max: number;
  /** Fewest statements expected (e.g. 1 to prove a read really went to a replica). */
  min?: number;
  on?: "replica" | "primary" | "named" | "any";
  /** Most round trips allowed (a batch of N statements is one). */
  roundTrips?: number;
};

export function assertQueries(log: readonly QueryLogEntry[], expect: QueryExpectation): void {
  const on = expect.on ?? "any";
  const selected = on === "any" ? log : log.filter((e) => e.kind === on);
  const statements = selected.reduce((n, e) => n + e.sql.length, 0);
  const problems: string[] = [];
  if (statements > expect.max)
    problems.push(`${statements} statements on ${on}, at most ${expect.max} allowed`);
  if (expect.min !== undefined && statements < expect.min) {
    problems.push(`${statements} statements on ${on}, at least ${expect.min} expected`);
  }
  if (expect.roundTrips !== undefined && selected.length > expect.roundTrips) {
    problems.push(`${selected.length} round trips on ${on}, at most ${expect.roundTrips} allowed`);
  }
  if (problems.length > 0) throw new Error(`${problems.join("; ")}\n${formatQueryLog(log)}`);
}

/** Every round trip, numbered, with its pool, time and statements. */
export function formatQueryLog(log: readonly QueryLogEntry[]): string {
  if (log.length === 0) return "(no queries)";
  return log
    .map((e, i) => {
      const head = `#${i + 1} ${e.pool} (${e.kind}) ${e.ms.toFixed(1)} ms${e.ok ? "" : ` FAILED: ${e.error}`}`;
      return [head, ...e.sql.map((s) => `    ${s}`)].join("\n");
    })
    .join("\n");
}
