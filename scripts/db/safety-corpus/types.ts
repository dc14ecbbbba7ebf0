// The shape of a corpus case, and the filled tables most cases start from.
import type { Danger } from "../safety-classify.ts";

export interface SafetyCase {
  /** Unique, kebab-case: names the operation and the variant. */
  id: string;
  /** Earlier migrations: the schema and rows as they are before this one (the checker sees it as such). */
  setup: string;
  /** SQL run before `setup` that no migration contains (by hand, an extension): only a database knows it. */
  outside?: string;
  /** The migration under test, as it would be written in migrations/NNNN_x.sql. */
  migration: string;
  /** What PostgreSQL is expected to show: "safe", or the reason it is not. */
  verdict: "safe" | Danger;
  /** Why PostgreSQL behaves that way. */
  why: string;
  /** The safe way to reach the same schema (for a safe case: what makes it the safe way). */
  recipe: string;
  /** Statements the running application issues: each must work before the migration. */
  app: string[];
  /** For "avoidable": the id of a case with the same setup that does the same without the blocking lock. */
  alternative?: string;
}

/** Rows in each filled table: enough that a rewrite or scan reads thousands of rows, few enough to stay fast. */
export const ROWS = 5000;

/** `t`: a typical application table with a primary key, a nullable int and a short varchar. */
export const T = `CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL, score int, note varchar(20),
  created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO t (id, name, score, note) SELECT g, 'n' || g, g % 100, 'x' FROM generate_series(1, ${ROWS}) g;`;

/** What code deployed against `t` keeps doing while the migration runs and after it. */
export const T_APP = [
  "SELECT id, name, score, note, created_at FROM t WHERE id = 1",
  "INSERT INTO t (id, name, score, note) VALUES (-1, 'app', 1, 'y')",
  "UPDATE t SET score = 2 WHERE id = 2",
];

/** `p`: a small parent table whose ids cover every `t.score`, for foreign keys. */
export const P = `CREATE TABLE p (id int PRIMARY KEY, label text);
INSERT INTO p SELECT g, 'p' || g FROM generate_series(0, 99) g;`;

/** `u`: a table without a primary key yet. */
export const U = `CREATE TABLE u (code text NOT NULL, n int);
INSERT INTO u SELECT 'c' || g, g FROM generate_series(1, ${ROWS}) g;`;

export const U_APP = ["SELECT code, n FROM u WHERE code = 'c1'", "INSERT INTO u (code, n) VALUES ('app', 1)"];

/** `m`: a table partitioned by year with two filled partitions. */
export const M = `CREATE TABLE m (id bigint NOT NULL, at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO m SELECT g, date '2024-01-01' + (g % 700), g FROM generate_series(1, ${ROWS}) g;`;

export const M_APP = [
  "SELECT count(*) FROM m WHERE at = '2024-03-01'",
  "INSERT INTO m VALUES (-1, '2024-06-01', 1)",
];

/** A case on `t` with the default app statements. */
export const onT = (
  c: Omit<SafetyCase, "setup" | "app"> & { setup?: string; app?: string[] },
): SafetyCase => ({
  ...c,
  setup: c.setup ?? T,
  app: c.app ?? T_APP,
});
