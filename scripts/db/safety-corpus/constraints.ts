// Corpus: CHECK, FOREIGN KEY, UNIQUE, PRIMARY KEY and NOT NULL constraints, and constraints on domains.
import { onT, P, type SafetyCase, T, U, U_APP } from "./types.ts";

const VALIDATE_LATER = "add it NOT VALID now, and VALIDATE CONSTRAINT in a later migration";
const NOT_VALID_WHY = "NOT VALID skips the scan: the lock is held only for the catalog change";
const VALIDATE_WHY =
  "VALIDATE scans under SHARE UPDATE EXCLUSIVE (and ROW SHARE on a referenced table): reads and writes go on";
const SAME_MIGRATION_WHY =
  "the lock ADD CONSTRAINT took is held until the migration commits, so VALIDATE's scan runs under it anyway";

const TP = `${T}
${P}`;
const T_CHECK = `${T}
ALTER TABLE t ADD CONSTRAINT t_score_nonneg CHECK (score >= 0) NOT VALID;`;
const T_FK = `${TP}
ALTER TABLE t ADD CONSTRAINT t_score_fk FOREIGN KEY (score) REFERENCES p (id) NOT VALID;`;
const T_NAME_INDEX = `${T}
CREATE UNIQUE INDEX t_name_idx ON t (name);`;
const DOMAIN_IN_USE = `CREATE DOMAIN score_t AS int;
${T}
ALTER TABLE t ADD COLUMN level score_t DEFAULT 1;`;
const DOMAIN_WHY =
  "PostgreSQL checks a domain constraint in every column of that type, holding a SHARE lock on each table (writes wait) for the scan";
const DOMAIN_RECIPE =
  "on a domain used by big tables, put the rule in a table CHECK instead (NOT VALID, then VALIDATE later), or keep the domain constraint NOT VALID";

export const CONSTRAINTS: SafetyCase[] = [
  onT({
    id: "add-check",
    migration: "ALTER TABLE t ADD CONSTRAINT t_score_nonneg CHECK (score >= 0);",
    verdict: "scan",
    why: "every row is checked while ACCESS EXCLUSIVE is held",
    recipe: VALIDATE_LATER,
  }),
  onT({
    id: "add-check-not-valid",
    migration: "ALTER TABLE t ADD CONSTRAINT t_score_nonneg CHECK (score >= 0) NOT VALID;",
    verdict: "safe",
    why: NOT_VALID_WHY,
    recipe: VALIDATE_LATER,
  }),
  onT({
    id: "validate-check",
    setup: T_CHECK,
    migration: "ALTER TABLE t VALIDATE CONSTRAINT t_score_nonneg;",
    verdict: "safe",
    why: VALIDATE_WHY,
    recipe: "the second half of the recipe",
  }),
  onT({
    id: "add-check-not-valid-then-validate",
    migration: `ALTER TABLE t ADD CONSTRAINT t_score_nonneg CHECK (score >= 0) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT t_score_nonneg;`,
    verdict: "scan",
    why: SAME_MIGRATION_WHY,
    recipe: "put VALIDATE CONSTRAINT in a later migration",
  }),
  onT({
    id: "add-foreign-key",
    setup: TP,
    migration: 'ALTER TABLE "t" ADD CONSTRAINT "t_score_fk" FOREIGN KEY ("score") REFERENCES "p"("id");',
    verdict: "scan",
    why: "every row is looked up in p while SHARE ROW EXCLUSIVE is held on both tables (writes wait)",
    recipe: VALIDATE_LATER,
  }),
  onT({
    id: "add-foreign-key-not-valid",
    setup: TP,
    migration: "ALTER TABLE t ADD CONSTRAINT t_score_fk FOREIGN KEY (score) REFERENCES p (id) NOT VALID;",
    verdict: "safe",
    why: NOT_VALID_WHY,
    recipe: VALIDATE_LATER,
  }),
  onT({
    id: "validate-foreign-key",
    setup: T_FK,
    migration: "ALTER TABLE t VALIDATE CONSTRAINT t_score_fk;",
    verdict: "safe",
    why: VALIDATE_WHY,
    recipe: "the second half of the recipe",
  }),
  onT({
    id: "add-foreign-key-not-valid-then-validate",
    setup: TP,
    migration: `ALTER TABLE t ADD CONSTRAINT t_score_fk FOREIGN KEY (score) REFERENCES p (id) NOT VALID;--> statement-breakpoint
ALTER TABLE t VALIDATE CONSTRAINT t_score_fk;`,
    verdict: "scan",
    why: SAME_MIGRATION_WHY,
    recipe: "put VALIDATE CONSTRAINT in a later migration",
  }),
  onT({
    id: "add-unique-constraint",
    migration: "ALTER TABLE t ADD CONSTRAINT t_name_key UNIQUE (name);",
    verdict: "scan",
    why: "the constraint's index is built by reading every row under ACCESS EXCLUSIVE",
    recipe: "CREATE UNIQUE INDEX CONCURRENTLY in its own migration, then ADD CONSTRAINT … UNIQUE USING INDEX",
  }),
  onT({
    id: "add-unique-using-index",
    setup: T_NAME_INDEX,
    migration: "ALTER TABLE t ADD CONSTRAINT t_name_key UNIQUE USING INDEX t_name_idx;",
    verdict: "safe",
    why: "the index already exists: the constraint adopts it without reading the table",
    recipe: "the second half of the recipe",
  }),
  {
    id: "add-primary-key",
    setup: U,
    migration: "ALTER TABLE u ADD PRIMARY KEY (code);",
    verdict: "scan",
    why: "the primary key index is built by reading every row under ACCESS EXCLUSIVE",
    recipe: "CREATE UNIQUE INDEX CONCURRENTLY in its own migration, then ADD PRIMARY KEY USING INDEX",
    app: U_APP,
  },
  {
    id: "add-primary-key-using-index",
    setup: `${U}
CREATE UNIQUE INDEX u_code_idx ON u (code);`,
    migration: "ALTER TABLE u ADD CONSTRAINT u_pkey PRIMARY KEY USING INDEX u_code_idx;",
    verdict: "safe",
    why: "the index exists and code is already NOT NULL: nothing is read",
    recipe: "the second half of the recipe",
    app: U_APP,
  },
  onT({
    id: "set-not-null",
    migration: 'ALTER TABLE "t" ALTER COLUMN "score" SET NOT NULL;',
    verdict: "scan",
    why: "every row is checked for NULL while ACCESS EXCLUSIVE is held",
    recipe: "ADD CHECK (score IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL",
  }),
  onT({
    id: "set-not-null-after-validated-check",
    setup: `${T}
ALTER TABLE t ADD CONSTRAINT t_score_nn CHECK (score IS NOT NULL);`,
    migration: "ALTER TABLE t ALTER COLUMN score SET NOT NULL;",
    verdict: "safe",
    why: "a validated CHECK (score IS NOT NULL) already proves it, so PostgreSQL skips the scan",
    recipe: "the last step of the recipe",
  }),
  onT({
    id: "validate-check-then-set-not-null",
    setup: `${T}
ALTER TABLE t ADD CONSTRAINT t_score_nn CHECK (score IS NOT NULL) NOT VALID;`,
    migration: `ALTER TABLE "t" VALIDATE CONSTRAINT "t_score_nn";--> statement-breakpoint
ALTER TABLE "t" ALTER COLUMN "score" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "t" DROP CONSTRAINT "t_score_nn";`,
    verdict: "safe",
    why: "VALIDATE scans under SHARE UPDATE EXCLUSIVE; SET NOT NULL then takes ACCESS EXCLUSIVE without a scan",
    recipe: "the project's own events.city enforce step",
  }),
  onT({
    id: "add-not-null-constraint",
    migration: "ALTER TABLE t ADD CONSTRAINT t_score_not_null NOT NULL score;",
    verdict: "scan",
    why: "a NOT NULL constraint (PostgreSQL ≥ 18 syntax) is checked against every row under ACCESS EXCLUSIVE",
    recipe: VALIDATE_LATER,
  }),
  onT({
    id: "add-not-null-constraint-not-valid",
    migration: "ALTER TABLE t ADD CONSTRAINT t_score_not_null NOT NULL score NOT VALID;",
    verdict: "safe",
    why: NOT_VALID_WHY,
    recipe: VALIDATE_LATER,
  }),
  onT({
    id: "add-foreign-key-from-new-table",
    migration: `CREATE TABLE n (id int, t_id bigint);--> statement-breakpoint
ALTER TABLE n ADD CONSTRAINT n_t_fk FOREIGN KEY (t_id) REFERENCES t (id);`,
    verdict: "safe",
    why: "only the new, empty table is scanned; t is locked against writes just for the catalog change",
    recipe: "fine as it is",
  }),
  onT({
    id: "create-table-referencing-existing",
    migration: "CREATE TABLE n (id int PRIMARY KEY, t_id bigint REFERENCES t (id));",
    verdict: "safe",
    why: "nothing to validate in a new table; t is locked against writes just for the catalog change",
    recipe: "fine as it is",
  }),
  onT({
    id: "alter-domain-add-check",
    setup: DOMAIN_IN_USE,
    migration: "ALTER DOMAIN score_t ADD CONSTRAINT score_t_nonneg CHECK (VALUE >= 0);",
    verdict: "scan",
    why: DOMAIN_WHY,
    recipe: DOMAIN_RECIPE,
  }),
  onT({
    id: "alter-domain-add-check-not-valid",
    setup: DOMAIN_IN_USE,
    migration: "ALTER DOMAIN score_t ADD CONSTRAINT score_t_nonneg CHECK (VALUE >= 0) NOT VALID;",
    verdict: "safe",
    why: "NOT VALID: new values are checked, existing columns are not read",
    recipe: DOMAIN_RECIPE,
  }),
  onT({
    id: "alter-domain-validate",
    setup: `${DOMAIN_IN_USE}
ALTER DOMAIN score_t ADD CONSTRAINT score_t_nonneg CHECK (VALUE >= 0) NOT VALID;`,
    migration: "ALTER DOMAIN score_t VALIDATE CONSTRAINT score_t_nonneg;",
    verdict: "scan",
    why: `unlike a table constraint, validating a domain constraint takes no lighter lock (PostgreSQL 18): ${DOMAIN_WHY}`,
    recipe: DOMAIN_RECIPE,
  }),
  onT({
    id: "alter-domain-set-not-null",
    setup: DOMAIN_IN_USE,
    migration: "ALTER DOMAIN score_t SET NOT NULL;",
    verdict: "scan",
    why: DOMAIN_WHY,
    recipe: "enforce NOT NULL on the table columns instead (validated CHECK, then SET NOT NULL)",
  }),
  onT({
    id: "alter-domain-created-in-same-migration",
    migration: `CREATE DOMAIN email AS text;
ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');`,
    verdict: "safe",
    why: "the domain was created in this migration, so no column uses it yet",
    recipe: "fine as it is",
  }),
];
