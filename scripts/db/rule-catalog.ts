// The migration rule ids, the expand/contract alternative each one proposes, and how findings print.
import { SITE, TEMPLATE_NAME } from "../../shared/site/index.ts";

/** `-- <site>:allow <rule> because <reason>`; the template's own marker stays valid (its migrations use it). */
export const OVERRIDE_MARKER = `${SITE.name}:allow`;
export const OVERRIDE_MARKERS = [...new Set([OVERRIDE_MARKER, `${TEMPLATE_NAME}:allow`])];

export type RuleId =
  | "index-not-concurrent"
  | "add-column-not-null"
  | "volatile-default"
  | "generated-stored"
  | "domain-constraint"
  | "constraint-not-valid"
  | "validate-same-migration"
  | "backfill-with-ddl"
  | "alter-column-type"
  | "rename"
  | "drop-column"
  | "drop-table"
  | "truncate"
  | "reindex-not-concurrent"
  | "drop-index-not-concurrent"
  | "detach-partition-not-concurrent"
  | "table-rewrite"
  | "set-not-null"
  | "lock-timeout"
  | "concurrently-mixed"
  | "bad-override"
  | "journal"
  | "schema-drift";

export const FIXES: Record<RuleId, string> = {
  "index-not-concurrent":
    "use CREATE INDEX CONCURRENTLY in its own migration (for UNIQUE/PRIMARY KEY: build the index concurrently, then ADD CONSTRAINT … USING INDEX)",
  "add-column-not-null":
    "add the column nullable (or with a constant DEFAULT), backfill in batches, then enforce with a NOT VALID check",
  "volatile-default":
    "a volatile default (serial and identity columns too) gives every existing row its own value, which rewrites the table: add the column without it, SET DEFAULT afterwards (new rows only), backfill old rows in batches",
  "generated-stored":
    "a STORED generated column is computed for every row, which rewrites the table: use a VIRTUAL one (PostgreSQL ≥ 18), or a plain column filled by a trigger for new rows and a batched backfill for old ones",
  "domain-constraint":
    "PostgreSQL checks a domain constraint in every column of the domain (SHARE lock: writes wait), and a new column of such a domain rewrites the table: use the base type with a table CHECK … NOT VALID, VALIDATE it in a later migration",
  "constraint-not-valid":
    "add it with NOT VALID (brief lock, new rows checked), then VALIDATE CONSTRAINT in a later migration",
  "validate-same-migration":
    "the lock ADD CONSTRAINT took is held until commit, so the validation scan runs under it: VALIDATE CONSTRAINT in a later migration",
  "backfill-with-ddl":
    "the lock the earlier DDL took is held until commit, for as long as this statement runs: keep the DDL in the migration and backfill in batches from a job",
  "alter-column-type":
    "most type changes rewrite the table under ACCESS EXCLUSIVE: add a new column, dual-write, backfill, switch reads, drop the old",
  rename:
    "running code still uses the old name: add the new column/table, dual-write, backfill, switch reads, drop the old",
  "drop-column":
    "first deploy code that no longer reads or writes it (drizzle selects every schema column), then drop it in a later release",
  "drop-table": "first deploy code that no longer uses the table, then drop it in a later release",
  truncate:
    "TRUNCATE replaces the table's storage under ACCESS EXCLUSIVE and takes every row from the running code (CASCADE: from the tables referencing it too): delete in batches from a job, or drop the table in a later release",
  "reindex-not-concurrent":
    "REINDEX … CONCURRENTLY, alone in its migration: the plain form blocks writes to the table and every query that could use the index",
  "drop-index-not-concurrent":
    "DROP INDEX CONCURRENTLY IF EXISTS, alone in its migration: the plain form takes ACCESS EXCLUSIVE on the table, and queries queue behind it while it waits",
  "detach-partition-not-concurrent":
    "ALTER TABLE … DETACH PARTITION … CONCURRENTLY, alone in its migration: the plain form takes ACCESS EXCLUSIVE on the partitioned table",
  "table-rewrite":
    "this rewrites the whole table under ACCESS EXCLUSIVE: use pg_repack or pg_squeeze outside migrations, or build a new table and switch to it",
  "set-not-null":
    "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PG ≥ 12 skips the scan)",
  "lock-timeout":
    "leave lock_timeout to the runner (npm run db:migrate: a few seconds, with retries); a waiting ACCESS EXCLUSIVE lock blocks every later query",
  "concurrently-mixed":
    "non-transactional statements run one by one, so a failure leaves the rest half applied: give each CONCURRENTLY statement its own migration",
  "bad-override": `write it as: -- ${OVERRIDE_MARKER} <rule-id> because <reason>`,
  journal:
    "generate migrations with drizzle-kit generate [--custom] so the file and meta/_journal.json agree",
  "schema-drift":
    "shared/db/schema.ts differs from the last snapshot: run npx drizzle-kit generate --name <change> and commit the migration",
};

export interface Finding {
  rule: RuleId;
  line: number;
  statement: string;
  severity: "error" | "info";
  message?: string;
}

export type FileFinding = Finding & { file: string };

export function formatFinding(f: FileFinding): string {
  const stmt = f.statement.length > 80 ? `${f.statement.slice(0, 79)}…` : f.statement;
  const what = [stmt, f.message].filter(Boolean).join(": ");
  if (f.severity === "info") return `${f.file}:${f.line} [${f.rule}] note: ${what}`;
  return `${f.file}:${f.line} [${f.rule}] ${what} — ${FIXES[f.rule]} (override: -- ${OVERRIDE_MARKER} ${f.rule} because …)`;
}
