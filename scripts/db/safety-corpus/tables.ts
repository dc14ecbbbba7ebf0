// Corpus: type changes, renames, drops, TRUNCATE, partitions, backfills and other table-wide operations.
import { M, M_APP, onT, P, type SafetyCase, T } from "./types.ts";

const NEW_COLUMN =
  "add a new column of the new type, dual-write, backfill in batches, switch reads, drop the old column later";
const CONTRACT = "deploy code that no longer uses the old name first, then drop or rename in a later release";
const REWRITE_WHY = "rewrites the whole table into new files under ACCESS EXCLUSIVE";
const T_P_FK = `${P}
${T}
ALTER TABLE t ADD CONSTRAINT t_score_fk FOREIGN KEY (score) REFERENCES p (id);`;

export const TABLES: SafetyCase[] = [
  onT({
    id: "alter-type-int-to-bigint",
    migration: 'ALTER TABLE "t" ALTER COLUMN "score" SET DATA TYPE bigint;',
    verdict: "rewrite",
    why: "int and bigint are stored differently: every row is rewritten under ACCESS EXCLUSIVE",
    recipe: NEW_COLUMN,
  }),
  onT({
    id: "alter-type-using",
    migration: "ALTER TABLE t ALTER COLUMN score TYPE text USING score::text;",
    verdict: "rewrite",
    why: "a USING conversion computes a new value for every row: rewrite under ACCESS EXCLUSIVE",
    recipe: NEW_COLUMN,
  }),
  onT({
    id: "alter-type-varchar-shrink",
    migration: "ALTER TABLE t ALTER COLUMN note TYPE varchar(10);",
    verdict: "rewrite",
    why: "a shorter limit must be checked for every value: rewrite under ACCESS EXCLUSIVE",
    recipe: "add a CHECK (char_length(note) <= 10) NOT VALID and VALIDATE it later, or a new column",
  }),
  onT({
    id: "alter-type-varchar-to-text",
    setup: `${T}
CREATE INDEX t_note_idx ON t (note);`,
    migration: 'ALTER TABLE "t" ALTER COLUMN "note" SET DATA TYPE text;',
    verdict: "safe",
    why: "varchar to text is binary compatible: PostgreSQL changes the catalog only and keeps the index on note",
    recipe: "fine as it is",
  }),
  onT({
    id: "alter-type-numeric-precision",
    setup: `${T}
ALTER TABLE t ADD COLUMN amount numeric(10, 2) DEFAULT 0;`,
    migration: "ALTER TABLE t ALTER COLUMN amount TYPE numeric(12, 2);",
    verdict: "safe",
    why: "more precision at the same scale accepts every stored value: catalog change only",
    recipe: "fine as it is",
  }),
  onT({
    id: "alter-type-varchar-widen",
    migration: "ALTER TABLE t ALTER COLUMN note TYPE varchar(40);",
    verdict: "safe",
    why: "a longer varchar limit accepts every existing value: catalog change only",
    recipe: "fine as it is",
  }),
  onT({
    id: "rename-column",
    migration: 'ALTER TABLE "t" RENAME COLUMN "score" TO "points";',
    verdict: "breaks-app",
    why: "instant, but the deployed code still reads and writes score",
    recipe: "add points, dual-write, backfill, switch reads, then drop score in a later release",
  }),
  onT({
    id: "rename-table",
    migration: "ALTER TABLE t RENAME TO things;",
    verdict: "breaks-app",
    why: "instant, but the deployed code still queries t",
    recipe: CONTRACT,
  }),
  onT({
    id: "rename-constraint",
    migration: "ALTER TABLE t RENAME CONSTRAINT t_pkey TO t_id_pkey;",
    verdict: "safe",
    why: "application code does not name constraints",
    recipe: "fine as it is",
  }),
  onT({
    id: "drop-column-in-use",
    migration: 'ALTER TABLE "t" DROP COLUMN "note";',
    verdict: "breaks-app",
    why: "instant (the column is only marked dropped), but the deployed code still reads note",
    recipe: CONTRACT,
  }),
  onT({
    id: "drop-column-unused-with-override",
    setup: `${T}
ALTER TABLE t ADD COLUMN legacy_url text;`,
    migration: `-- edgeplate:allow drop-column because nothing has read t.legacy_url since the previous release
ALTER TABLE t DROP COLUMN legacy_url;`,
    verdict: "safe",
    why: "the column is only marked dropped, and no deployed code uses it",
    recipe: "the contract step, with the override saying why it is safe",
  }),
  onT({
    id: "drop-table-in-use",
    migration: "DROP TABLE t;",
    verdict: "breaks-app",
    why: "the deployed code still queries t",
    recipe: CONTRACT,
  }),
  onT({
    id: "drop-table-unused-with-override",
    setup: `${T}
CREATE TABLE legacy_log (id int, line text);`,
    migration: `-- edgeplate:allow drop-table because legacy_log has not been written since the previous release
DROP TABLE legacy_log;`,
    verdict: "safe",
    why: "no deployed code uses the table",
    recipe: "the contract step, with the override saying why it is safe",
  }),
  onT({
    id: "truncate",
    migration: "TRUNCATE t;",
    verdict: "rewrite",
    why: "replaces the table's storage under ACCESS EXCLUSIVE, and every row is gone for the deployed code",
    recipe: "delete in batches from a job, or drop the table in a later release once nothing uses it",
  }),
  onT({
    id: "truncate-cascade",
    setup: T_P_FK,
    migration: "TRUNCATE p CASCADE;",
    verdict: "rewrite",
    why: "CASCADE also empties every table that references p (here t) under ACCESS EXCLUSIVE",
    recipe: "delete in batches from a job; never cascade from a migration",
  }),
  onT({
    id: "truncate-new-table",
    migration: `CREATE TABLE n (id int);
INSERT INTO n VALUES (1);
TRUNCATE n;`,
    verdict: "safe",
    why: "the table was created in this migration",
    recipe: "fine as it is",
  }),
  {
    id: "detach-partition",
    setup: M,
    migration: "ALTER TABLE m DETACH PARTITION m_2025;",
    verdict: "avoidable",
    alternative: "detach-partition-concurrently",
    why: "takes ACCESS EXCLUSIVE on the partitioned table: brief, but while it waits for a long query every later query queues behind it",
    recipe: "ALTER TABLE … DETACH PARTITION … CONCURRENTLY, alone in its migration",
    app: M_APP,
  },
  {
    id: "detach-partition-concurrently",
    setup: M,
    migration: "ALTER TABLE m DETACH PARTITION m_2025 CONCURRENTLY;",
    verdict: "safe",
    why: "holds SHARE UPDATE EXCLUSIVE on the partitioned table and waits for the transactions using it; ACCESS EXCLUSIVE is taken only on the partition, at the end, when queries through the parent no longer see it",
    recipe: "the recipe",
    app: M_APP,
  },
  onT({
    id: "ddl-then-backfill-update",
    migration: `ALTER TABLE t ADD COLUMN label text;
UPDATE t SET label = upper(name);`,
    verdict: "scan",
    why: "the ACCESS EXCLUSIVE lock from ALTER TABLE is held until commit, so the whole UPDATE runs under it",
    recipe: "add the column in the migration; backfill in batches from a job (docs/migrations.md)",
  }),
  onT({
    id: "ddl-then-backfill-delete",
    migration: `ALTER TABLE t ADD COLUMN archived boolean;
DELETE FROM t WHERE score = 42;`,
    verdict: "scan",
    why: "the DELETE reads every row while the ACCESS EXCLUSIVE lock from ALTER TABLE is still held",
    recipe: "delete in batches from a job",
  }),
  onT({
    id: "ddl-then-small-update",
    migration: `ALTER TABLE t ADD COLUMN label text;
UPDATE t SET label = 'first' WHERE id = 1;`,
    verdict: "safe",
    why: "the UPDATE finds its one row through the primary key, so the lock is held only briefly longer",
    recipe: "fine as it is",
  }),
  onT({
    id: "batch-update-alone",
    migration: "UPDATE t SET note = 'y' WHERE id BETWEEN 1 AND 100;",
    verdict: "safe",
    why: "no table lock stronger than ROW EXCLUSIVE, and only 100 rows are touched",
    recipe: "better still in a job, but harmless",
  }),
  onT({
    id: "batch-update-before-ddl",
    migration: `UPDATE t SET note = 'y' WHERE id BETWEEN 1 AND 100;
ALTER TABLE t ADD COLUMN label text;`,
    verdict: "safe",
    why: "the UPDATE is done before ALTER TABLE takes its lock, which is then held only for the catalog change",
    recipe: "fine as it is",
  }),
  onT({
    id: "copy-into-new-table",
    migration: `CREATE TABLE t_archive (id bigint, name text);
INSERT INTO t_archive SELECT id, name FROM t WHERE score = 0;`,
    verdict: "safe",
    why: "reading t takes ACCESS SHARE only: reads and writes of t go on",
    recipe: "fine as it is",
  }),
  onT({
    id: "cluster",
    migration: "CLUSTER t USING t_pkey;",
    verdict: "rewrite",
    why: REWRITE_WHY,
    recipe: "use pg_repack or pg_squeeze outside migrations",
  }),
  onT({
    id: "vacuum-full",
    migration: "VACUUM FULL t;",
    verdict: "rewrite",
    why: REWRITE_WHY,
    recipe: "plain VACUUM (no lock on reads or writes); pg_repack or pg_squeeze outside migrations to shrink",
  }),
  onT({
    id: "set-unlogged",
    migration: "ALTER TABLE t SET UNLOGGED;",
    verdict: "rewrite",
    why: REWRITE_WHY,
    recipe: "create the new table unlogged (or logged) and move the data in batches",
  }),
  onT({
    id: "set-fillfactor",
    migration: "ALTER TABLE t SET (fillfactor = 90);",
    verdict: "safe",
    why: "a storage parameter for future pages: SHARE UPDATE EXCLUSIVE, no rewrite",
    recipe: "fine as it is",
  }),
  onT({
    id: "create-trigger",
    setup: `${T}
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.created_at = now(); RETURN NEW; END $$;`,
    migration: "CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();",
    verdict: "safe",
    why: "SHARE ROW EXCLUSIVE, held only for the catalog change",
    recipe: "fine as it is",
  }),
];
