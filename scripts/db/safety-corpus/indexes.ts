// Corpus: building, rebuilding and dropping indexes.
import { onT, type SafetyCase, T } from "./types.ts";

const CONCURRENTLY_WHY =
  "CONCURRENTLY holds only SHARE UPDATE EXCLUSIVE (reads and writes go on) and waits for transactions using the table instead";
const T_SCORE_INDEX = `${T}
CREATE INDEX t_score_idx ON t (score);`;

export const INDEXES: SafetyCase[] = [
  onT({
    id: "create-index",
    migration: 'CREATE INDEX "t_score_idx" ON "t" USING btree ("score");',
    verdict: "scan",
    why: "the build reads every row under a SHARE lock: writes wait until it ends",
    recipe: "CREATE INDEX CONCURRENTLY IF NOT EXISTS, alone in its migration",
  }),
  onT({
    id: "create-index-concurrently",
    migration: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "t_score_idx" ON "t" USING btree ("score");',
    verdict: "safe",
    why: CONCURRENTLY_WHY,
    recipe: "the recipe",
  }),
  onT({
    id: "create-unique-index",
    migration: "CREATE UNIQUE INDEX t_name_idx ON t (name);",
    verdict: "scan",
    why: "the build reads every row under a SHARE lock: writes wait until it ends",
    recipe: "CREATE UNIQUE INDEX CONCURRENTLY, alone in its migration",
  }),
  onT({
    id: "create-index-on-new-table",
    migration: `CREATE TABLE n (id int, t_id bigint);--> statement-breakpoint
CREATE INDEX n_t_idx ON n (t_id);`,
    verdict: "safe",
    why: "the table was created in this migration",
    recipe: "fine as it is",
  }),
  onT({
    id: "drop-index",
    setup: T_SCORE_INDEX,
    migration: "DROP INDEX t_score_idx;",
    verdict: "avoidable",
    alternative: "drop-index-concurrently",
    why: "DROP INDEX takes ACCESS EXCLUSIVE on the table: brief, but while it waits for a long query every later query queues behind it",
    recipe: "DROP INDEX CONCURRENTLY IF EXISTS, alone in its migration",
  }),
  onT({
    id: "drop-index-concurrently",
    setup: T_SCORE_INDEX,
    migration: "DROP INDEX CONCURRENTLY IF EXISTS t_score_idx;",
    verdict: "safe",
    why: CONCURRENTLY_WHY,
    recipe: "the recipe",
  }),
  onT({
    id: "drop-index-on-new-table",
    migration: `CREATE TABLE n (id int);
CREATE INDEX n_id_idx ON n (id);
DROP INDEX n_id_idx;`,
    verdict: "safe",
    why: "the index belongs to a table created in this migration",
    recipe: "fine as it is",
  }),
  onT({
    id: "reindex-index",
    setup: T_SCORE_INDEX,
    migration: "REINDEX INDEX t_score_idx;",
    verdict: "rewrite",
    why: "the index is rebuilt from every row under a SHARE lock on the table (writes wait) and ACCESS EXCLUSIVE on the index (queries that could use it wait)",
    recipe: "REINDEX INDEX CONCURRENTLY, alone in its migration",
  }),
  onT({
    id: "reindex-table",
    migration: "REINDEX TABLE t;",
    verdict: "rewrite",
    why: "every index of t is rebuilt under a SHARE lock on the table and ACCESS EXCLUSIVE on each index",
    recipe: "REINDEX TABLE CONCURRENTLY, alone in its migration",
  }),
  onT({
    id: "reindex-index-concurrently",
    setup: T_SCORE_INDEX,
    migration: "REINDEX INDEX CONCURRENTLY t_score_idx;",
    verdict: "safe",
    why: "builds a new index beside the old one under SHARE UPDATE EXCLUSIVE, then swaps them",
    recipe: "the recipe",
  }),
  onT({
    id: "reindex-table-concurrently",
    migration: "REINDEX (VERBOSE) TABLE CONCURRENTLY t;",
    verdict: "safe",
    why: "builds new indexes beside the old ones under SHARE UPDATE EXCLUSIVE, then swaps them",
    recipe: "the recipe",
  }),
];
