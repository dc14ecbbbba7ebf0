// Turns what Postgres was seen doing during a migration into the reasons (if any) that make it unsafe.

export const LOCK_MODES = [
  "AccessShareLock",
  "RowShareLock",
  "RowExclusiveLock",
  "ShareUpdateExclusiveLock",
  "ShareLock",
  "ShareRowExclusiveLock",
  "ExclusiveLock",
  "AccessExclusiveLock",
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

// PostgreSQL's table-level lock conflict table ("Conflicting Lock Modes" in the manual), by LOCK_MODES index.
const CONFLICTS: Record<LockMode, number[]> = {
  AccessShareLock: [7],
  RowShareLock: [6, 7],
  RowExclusiveLock: [4, 5, 6, 7],
  ShareUpdateExclusiveLock: [3, 4, 5, 6, 7],
  ShareLock: [2, 3, 5, 6, 7],
  ShareRowExclusiveLock: [2, 3, 4, 5, 6, 7],
  ExclusiveLock: [1, 2, 3, 4, 5, 6, 7],
  AccessExclusiveLock: [0, 1, 2, 3, 4, 5, 6, 7],
};

export const conflicts = (held: LockMode, wanted: LockMode): boolean =>
  CONFLICTS[held].includes(LOCK_MODES.indexOf(wanted));

/** Why a migration is unsafe, as observed. */
export type Danger =
  /** A pre-existing table's or index's storage was replaced (rewrite, index rebuild, TRUNCATE) under a blocking lock. */
  | "rewrite"
  /** At least half the rows of a filled pre-existing table were read under a blocking lock. */
  | "scan"
  /** The migration raised an error on the filled tables. */
  | "fails"
  /** A statement the running application issues worked before the migration and fails after it. */
  | "breaks-app"
  /** A blocking lock that an observed alternative, reaching the same relations, does without. */
  | "avoidable";

export interface LockSeen {
  relation: string;
  mode: LockMode;
  /** False for a request the statement was waiting on: queued requests block like held ones. */
  granted: boolean;
}

export interface StatementSeen {
  sql: string;
  ms: number;
  error?: string;
  /** Locks on pre-existing relations held (or requested) once the statement ended (or while it waited). */
  locks: LockSeen[];
  /** Rows read per pre-existing table by this statement; absent when it cannot be attributed. */
  rowsRead?: Record<string, number>;
  /** Pre-existing tables and indexes whose storage (relfilenode) changed during the statement. */
  rewritten: string[];
}

export interface Observation {
  /** Rows per pre-existing table before the migration. */
  rows: Record<string, number>;
  /** The locks the application's statements take (its footprint): a migration lock is blocking if it conflicts. */
  appLocks: LockSeen[];
  statements: StatementSeen[];
  /** App statements that failed after the migration (all of them worked before it). */
  appBroken: string[];
  /** The schema's relations afterwards (`name:relkind:partition?`), to compare alternatives. */
  relations: string[];
}

/** Tables smaller than this are lookups: reading all of them is not a scan anybody waits for. */
export const MIN_SCANNED_ROWS = 1000;

/** The locks of a statement that would make one of the application's statements wait. */
export const blocking = (obs: Observation, s: StatementSeen): LockSeen[] =>
  s.locks.filter((l) => obs.appLocks.some((a) => a.relation === l.relation && conflicts(l.mode, a.mode)));

/** How long a blocking lock was held: from the start of the first statement that ends holding one, to the end. */
export function blockingMs(obs: Observation): number {
  const first = obs.statements.findIndex((s) => blocking(obs, s).length > 0);
  return first < 0 ? 0 : obs.statements.slice(first).reduce((sum, s) => sum + s.ms, 0);
}

export function classify(obs: Observation, alternative?: Observation): Danger[] {
  const found = new Set<Danger>();
  for (const s of obs.statements) {
    if (s.error) found.add("fails");
    if (blocking(obs, s).length === 0) continue;
    if (s.rewritten.length > 0) found.add("rewrite");
    const scanned = Object.entries(s.rowsRead ?? {}).some(([table, read]) => {
      const rows = obs.rows[table] ?? 0;
      return rows >= MIN_SCANNED_ROWS && read >= rows / 2;
    });
    if (scanned) found.add("scan");
  }
  if (obs.appBroken.length > 0) found.add("breaks-app");
  const blocks = (o: Observation) => o.statements.some((s) => blocking(o, s).length > 0);
  if (
    blocks(obs) &&
    alternative &&
    !blocks(alternative) &&
    alternative.statements.every((s) => !s.error) &&
    alternative.relations.join() === obs.relations.join()
  )
    found.add("avoidable");
  return [...found];
}
