// Runs one migration against filled tables in a real PostgreSQL and records what it did: locks, rows read, rewrites.
import pg from "pg";
import {
  LOCK_MODES,
  type LockMode,
  type LockSeen,
  type Observation,
  type StatementSeen,
} from "./safety-classify.ts";
import { isNonTransactional, splitStatements } from "./sql-split.ts";

/** Three sessions: A runs the migration, B watches A from outside, X keeps the app's statements open. */
export interface Lane {
  a: pg.Client;
  b: pg.Client;
  x: pg.Client;
  /** Backend process ids of A and B, to find their rows in pg_locks. */
  pidA: number;
  pidB: number;
}

export interface MigrationCase {
  /** Run first: SQL that is in the database but in no migration. */
  outside?: string;
  setup: string;
  migration: string;
  /** Statements the running application issues; each must work before the migration. */
  app: string[];
}

const WAIT_DEADLINE_MS = 10_000;

export async function openLane(url: string): Promise<Lane> {
  const connect = async (name: string) => {
    const c = new pg.Client({ connectionString: url, application_name: `oracle-${name}` });
    await c.connect();
    c.on("error", () => {});
    // A bounded wait: a case that deadlocks or queues forever fails instead of hanging the test.
    await c.query("SET lock_timeout = '5s'");
    return c;
  };
  const [a, b, x] = [await connect("a"), await connect("b"), await connect("x")];
  const pid = async (c: pg.Client) =>
    (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0;
  return { a, b, x, pidA: await pid(a), pidB: await pid(b) };
}

export async function closeLane(lane: Lane): Promise<void> {
  await Promise.all([lane.a.end(), lane.b.end(), lane.x.end()]);
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const asMode = (mode: string): LockMode => {
  const found = LOCK_MODES.find((m) => m === mode);
  if (!found) throw new Error(`unknown lock mode ${mode}`);
  return found;
};
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

interface Relation {
  oid: number;
  name: string;
  kind: string;
  filenode: number;
}

async function relationsOf(c: pg.Client, schema: string): Promise<Relation[]> {
  const { rows } = await c.query<Relation>(
    `SELECT c.oid::int AS oid, c.relname AS name, c.relkind::text AS kind, c.relfilenode::int AS filenode
       FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'i', 'I', 'm')`,
    [schema],
  );
  return rows;
}

async function filenodes(c: pg.Client, oids: number[]): Promise<Map<number, number>> {
  const { rows } = await c.query<{ oid: number; filenode: number }>(
    "SELECT oid::int AS oid, relfilenode::int AS filenode FROM pg_class WHERE oid = ANY($1)",
    [oids],
  );
  return new Map(rows.map((r) => [r.oid, r.filenode]));
}

/** Rows returned to scans in this session's transaction so far (pending stats, visible before commit). */
async function rowsReadSoFar(c: pg.Client, oids: number[]): Promise<Map<number, number>> {
  const { rows } = await c.query<{ oid: number; n: string }>(
    `SELECT relid::int AS oid, seq_tup_read + coalesce(idx_tup_fetch, 0) AS n
       FROM pg_stat_xact_user_tables WHERE relid = ANY($1)`,
    [oids],
  );
  return new Map(rows.map((r) => [r.oid, Number(r.n)]));
}

async function locksOf(b: pg.Client, pid: number, names: Map<number, string>): Promise<LockSeen[]> {
  const { rows } = await b.query<{ oid: number; mode: string; granted: boolean }>(
    "SELECT relation::int AS oid, mode, granted FROM pg_locks WHERE pid = $1 AND relation = ANY($2)",
    [pid, [...names.keys()]],
  );
  return rows.map((r) => ({
    relation: names.get(r.oid) ?? String(r.oid),
    mode: asMode(r.mode),
    granted: r.granted,
  }));
}

/** Runs the app statements in one transaction and returns the locks they took on pre-existing relations. */
async function footprint(lane: Lane, app: string[], names: Map<number, string>): Promise<LockSeen[]> {
  const { b } = lane;
  await b.query("BEGIN");
  try {
    for (const sql of app) await b.query(sql);
    return await locksOf(b, lane.pidB, names);
  } catch (e) {
    throw new Error(`an app statement fails before the migration: ${message(e)}`);
  } finally {
    await b.query("ROLLBACK");
  }
}

async function failingApp(c: pg.Client, app: string[]): Promise<string[]> {
  const failed: string[] = [];
  for (const sql of app) {
    await c.query("BEGIN");
    await c.query(sql).catch(() => failed.push(sql));
    await c.query("ROLLBACK");
  }
  return failed;
}

function changed(
  before: Map<number, number>,
  after: Map<number, number>,
  names: Map<number, string>,
): string[] {
  return [...before]
    .filter(([oid, node]) => after.has(oid) && after.get(oid) !== node)
    .map(([oid]) => names.get(oid) ?? String(oid));
}

/** Runs a transactional migration the way the runner does (one transaction), sampling after each statement. */
async function observeInTransaction(
  lane: Lane,
  statements: string[],
  names: Map<number, string>,
): Promise<StatementSeen[]> {
  const { a, b, pidA: pid } = lane;
  const oids = [...names.keys()];
  const seen: StatementSeen[] = [];
  await a.query("BEGIN");
  let nodes = await filenodes(a, oids);
  let read = await rowsReadSoFar(a, oids);
  for (const sql of statements) {
    const started = performance.now();
    const error = await a.query(sql).then(
      () => undefined,
      (e: unknown) => message(e),
    );
    const ms = performance.now() - started;
    const locks = await locksOf(b, pid, names);
    if (error) {
      seen.push({ sql, ms, error, locks, rewritten: [] });
      break;
    }
    const nextNodes = await filenodes(a, oids);
    const nextRead = await rowsReadSoFar(a, oids);
    const rowsRead = Object.fromEntries(
      [...nextRead].map(([oid, n]) => [names.get(oid) ?? String(oid), Math.max(0, n - (read.get(oid) ?? 0))]),
    );
    seen.push({ sql, ms, locks, rowsRead, rewritten: changed(nodes, nextNodes, names) });
    nodes = nextNodes;
    read = nextRead;
  }
  await a.query(seen.some((s) => s.error) ? "ROLLBACK" : "COMMIT");
  return seen;
}

/**
 * A statement that refuses a transaction block commits on its own, so there is no "before commit" to sample.
 * Every such statement waits at some point for transactions that use the table; X holds the app's statements
 * open in one, and the locks A holds (or has queued) while it waits are the sample.
 */
async function observeAlone(lane: Lane, sql: string, app: string[], names: Map<number, string>) {
  const { a, b, x } = lane;
  const oids = [...names.keys()];
  const before = await filenodes(b, oids);
  await x.query("BEGIN");
  for (const s of app) await x.query(s);
  const started = performance.now();
  let done = false;
  const run = a.query(sql).then(
    () => undefined,
    (e: unknown) => message(e),
  );
  void run.finally(() => {
    done = true;
  });
  let locks: LockSeen[] | undefined;
  const pid = lane.pidA;
  while (!done && performance.now() - started < WAIT_DEADLINE_MS) {
    const { rows } = await b.query("SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted", [pid]);
    if (rows.length > 0) {
      locks = await locksOf(b, pid, names);
      break;
    }
  }
  await x.query("ROLLBACK");
  const error = await run;
  const ms = performance.now() - started;
  if (!locks && !error)
    throw new Error(`${sql}: never waited for the app's open transaction, so its locks were not sampled`);
  const rewritten = error ? [] : changed(before, await filenodes(b, oids), names);
  const seen: StatementSeen = { sql, ms, locks: locks ?? [], rewritten };
  return error ? { ...seen, error } : seen;
}

/** Sets the case up in its own schema, runs the migration, and reports what PostgreSQL did. */
export async function observe(
  lane: Lane,
  schema: string,
  c: MigrationCase,
  afterSetup?: (a: pg.Client) => Promise<void>,
): Promise<Observation> {
  const { a, b, x } = lane;
  await a.query(`CREATE SCHEMA ${quote(schema)}`);
  for (const s of [a, b, x]) await s.query(`SET search_path TO ${quote(schema)}`);
  if (c.outside) await a.query(c.outside);
  await a.query(c.setup);
  const existing = await relationsOf(a, schema);
  const tables = existing.filter((r) => r.kind === "r").map((r) => r.name);
  for (const t of tables) await a.query(`ANALYZE ${quote(t)}`);
  const rows: Record<string, number> = {};
  for (const t of tables) {
    const { rows: counted } = await a.query<{ n: string }>(`SELECT count(*) AS n FROM ONLY ${quote(t)}`);
    rows[t] = Number(counted[0]?.n ?? 0);
  }
  const names = new Map(existing.map((r) => [r.oid, r.name]));
  const appLocks = await footprint(lane, c.app, names);
  await afterSetup?.(a);

  // The runner's way: one transaction, unless a statement refuses one; then each statement on its own.
  const statements = splitStatements(c.migration).map((s) => ({ sql: s.text, alone: isNonTransactional(s) }));
  let seen: StatementSeen[] = [];
  if (!statements.some((s) => s.alone))
    seen = await observeInTransaction(
      lane,
      statements.map((s) => s.sql),
      names,
    );
  else
    for (const s of statements) {
      seen.push(await observeAlone(lane, s.sql, c.app, names));
      if (seen.some((d) => d.error)) break;
    }
  const failed = seen.some((s) => s.error);
  const { rows: after } = await b.query<{ r: string }>(
    `SELECT relname || ':' || relkind::text || ':' || relispartition AS r FROM pg_class
      WHERE relnamespace = $1::regnamespace AND relkind IN ('r', 'p', 'i', 'I', 'S', 'v', 'm') ORDER BY 1`,
    [schema],
  );
  return {
    rows,
    appLocks,
    statements: seen,
    appBroken: failed ? [] : await failingApp(b, c.app),
    relations: after.map((r) => r.r),
  };
}
