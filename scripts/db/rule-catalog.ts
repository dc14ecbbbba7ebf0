// The migration rule ids, the expand/contract alternative each one proposes, and how findings print.

export type RuleId =
  | "index-not-concurrent"
  | "add-column-not-null"
  | "volatile-default"
  | "constraint-not-valid"
  | "alter-column-type"
  | "rename"
  | "drop-column"
  | "drop-table"
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
    "a volatile default rewrites the whole table: add the column without it, SET DEFAULT afterwards, backfill old rows in batches",
  "constraint-not-valid":
    "add it with NOT VALID (brief lock, new rows checked), then VALIDATE CONSTRAINT in a later migration",
  "alter-column-type":
    "most type changes rewrite the table under ACCESS EXCLUSIVE: add a new column, dual-write, backfill, switch reads, drop the old",
  rename:
    "running code still uses the old name: add the new column/table, dual-write, backfill, switch reads, drop the old",
  "drop-column":
    "first deploy code that no longer reads or writes it (drizzle selects every schema column), then drop it in a later release",
  "drop-table": "first deploy code that no longer uses the table, then drop it in a later release",
  "set-not-null":
    "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PG ≥ 12 skips the scan)",
  "lock-timeout":
    "leave lock_timeout to the runner (npm run db:migrate: a few seconds, with retries); a waiting ACCESS EXCLUSIVE lock blocks every later query",
  "concurrently-mixed":
    "non-transactional statements run one by one, so a failure leaves the rest half applied: give each CONCURRENTLY statement its own migration",
  "bad-override": "write it as: -- edgeplate:allow <rule-id> because <reason>",
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
  return `${f.file}:${f.line} [${f.rule}] ${what} — ${FIXES[f.rule]} (override: -- edgeplate:allow ${f.rule} because …)`;
}
