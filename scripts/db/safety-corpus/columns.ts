// Corpus: adding columns — defaults, sequences, generated columns, inline constraints and domains.
import { onT, P, type SafetyCase, T, U, U_APP } from "./types.ts";

const LATER_DEFAULT =
  "add the column without a default, ALTER COLUMN … SET DEFAULT in the same or a later migration (new rows only), backfill old rows in batches from a job";
const CONSTANT = "no rewrite: PostgreSQL ≥ 11 stores a non-volatile default once in the catalog";

const volatileDefault = (id: string, column: string, why: string, setup = T): SafetyCase =>
  onT({
    id,
    setup,
    migration: `ALTER TABLE t ADD COLUMN ${column};`,
    verdict: "rewrite",
    why: `${why}: every existing row needs its own value, so the table is rewritten under ACCESS EXCLUSIVE`,
    recipe: LATER_DEFAULT,
  });

const sequenceColumn = (id: string, column: string): SafetyCase =>
  onT({
    id,
    migration: `ALTER TABLE t ADD COLUMN ${column};`,
    verdict: "rewrite",
    why: "each existing row gets a value from nextval() (volatile), so the table is rewritten under ACCESS EXCLUSIVE",
    recipe:
      "add a nullable bigint, create a sequence and SET DEFAULT nextval(…) for new rows, backfill old rows in batches, then enforce NOT NULL (validated CHECK first)",
  });

const DOMAIN_RECIPE =
  "add the column with the domain's base type, then a table CHECK … NOT VALID, and VALIDATE it in a later migration";

const domainColumn = (id: string, column: string): SafetyCase =>
  onT({
    id,
    setup: `${T}
CREATE DOMAIN pos_int AS int CHECK (VALUE > 0);`,
    migration: `ALTER TABLE t ADD COLUMN ${column};`,
    verdict: "rewrite",
    why: "pos_int has a CHECK, which PostgreSQL checks by computing the new column for every row: rewrite under ACCESS EXCLUSIVE",
    recipe: DOMAIN_RECIPE,
  });

export const COLUMNS: SafetyCase[] = [
  onT({
    id: "add-column-nullable",
    migration: 'ALTER TABLE "t" ADD COLUMN "city" text;',
    verdict: "safe",
    why: "a catalog change: existing rows read the new column as NULL without being touched",
    recipe: "the expand step of expand/contract",
  }),
  onT({
    id: "add-column-constant-default",
    migration: "ALTER TABLE t ADD COLUMN visits int DEFAULT 0;",
    verdict: "safe",
    why: CONSTANT,
    recipe: "a constant default is fine as it is",
  }),
  onT({
    id: "add-column-not-null-constant-default",
    migration: "ALTER TABLE t ADD COLUMN tier text NOT NULL DEFAULT 'free';",
    verdict: "safe",
    why: `${CONSTANT}, and the default already satisfies NOT NULL, so no scan either`,
    recipe: "a constant default is fine as it is",
  }),
  onT({
    id: "add-column-default-now",
    migration: "ALTER TABLE t ADD COLUMN seen_at timestamptz DEFAULT now();",
    verdict: "safe",
    why: "now() is STABLE: evaluated once for the whole statement and stored like a constant",
    recipe: "a stable default is fine as it is",
  }),
  onT({
    id: "add-column-default-string-mentioning-random",
    migration: "ALTER TABLE t ADD COLUMN hint text DEFAULT 'random()';",
    verdict: "safe",
    why: "the default is a string constant; it only looks like a call",
    recipe: "a constant default is fine as it is",
  }),
  onT({
    id: "add-column-default-immutable-function",
    setup: `${T}
CREATE FUNCTION default_tier() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'free' $$;`,
    migration: "ALTER TABLE t ADD COLUMN tier text DEFAULT default_tier();",
    verdict: "safe",
    why: "the function is declared IMMUTABLE, so the default is evaluated once and stored in the catalog",
    recipe: "a non-volatile default is fine as it is",
  }),
  onT({
    id: "add-column-default-stable-function",
    setup: `${T}
CREATE FUNCTION launch_day() RETURNS date LANGUAGE sql STABLE AS $$ SELECT current_date $$;`,
    migration: "ALTER TABLE t ADD COLUMN since date DEFAULT launch_day();",
    verdict: "safe",
    why: "the function is declared STABLE, so the default is evaluated once and stored in the catalog",
    recipe: "a non-volatile default is fine as it is",
  }),
  onT({
    id: "add-column-not-null-without-default",
    migration: 'ALTER TABLE "t" ADD COLUMN "city" text NOT NULL;',
    verdict: "fails",
    why: "existing rows would be NULL: PostgreSQL scans under ACCESS EXCLUSIVE and the migration errors on the first row",
    recipe:
      "add it nullable, backfill in batches, ADD CHECK (city IS NOT NULL) NOT VALID, VALIDATE later, then SET NOT NULL",
  }),
  volatileDefault("add-column-default-random", "jitter float8 DEFAULT random()", "random() is VOLATILE"),
  volatileDefault(
    "add-column-default-gen-random-uuid",
    "public_id uuid NOT NULL DEFAULT gen_random_uuid()",
    "gen_random_uuid() is VOLATILE",
  ),
  volatileDefault(
    "add-column-default-clock-timestamp",
    "touched_at timestamptz DEFAULT clock_timestamp()",
    "clock_timestamp() is VOLATILE (unlike now())",
  ),
  volatileDefault(
    "add-column-default-random-normal",
    "noise float8 DEFAULT random_normal()",
    "random_normal() (PostgreSQL ≥ 16) is VOLATILE",
  ),
  volatileDefault(
    "add-column-default-uuidv7",
    "ref uuid DEFAULT uuidv7()",
    "uuidv7() (PostgreSQL ≥ 18) is VOLATILE",
  ),
  volatileDefault(
    "add-column-default-volatile-expression",
    "bucket int DEFAULT (random() * 100)::int",
    "the expression contains random(), which is VOLATILE",
  ),
  volatileDefault(
    "add-column-default-user-function",
    "code text DEFAULT new_code()",
    "new_code() does not declare a volatility, and VOLATILE is the default",
    `${T}
CREATE FUNCTION new_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;`,
  ),
  onT({
    id: "add-column-default-function-made-outside-migrations",
    outside: `CREATE SCHEMA util;
CREATE FUNCTION util.make_token() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(clock_timestamp()::text) $$;`,
    migration: "ALTER TABLE t ADD COLUMN token text DEFAULT util.make_token();",
    verdict: "rewrite",
    why: "util.make_token() is VOLATILE; it was created by hand, so only the database's catalog knows it: every existing row needs its own value, so the table is rewritten under ACCESS EXCLUSIVE",
    recipe: LATER_DEFAULT,
  }),
  onT({
    id: "add-column-volatile-default-on-new-table",
    migration: `CREATE TABLE n (id int);
ALTER TABLE n ADD COLUMN public_id uuid DEFAULT gen_random_uuid();`,
    verdict: "safe",
    why: "the table was created in this migration: nobody uses it and it has no rows to rewrite",
    recipe: "fine as it is",
  }),
  onT({
    id: "add-column-then-set-volatile-default",
    migration: `ALTER TABLE t ADD COLUMN public_id uuid;--> statement-breakpoint
ALTER TABLE t ALTER COLUMN public_id SET DEFAULT gen_random_uuid();`,
    verdict: "safe",
    why: "SET DEFAULT only affects future inserts: old rows keep NULL, nothing is rewritten",
    recipe: LATER_DEFAULT,
  }),
  sequenceColumn("add-column-serial", "n serial"),
  sequenceColumn("add-column-bigserial", "n bigserial"),
  sequenceColumn("add-column-serial8", "n serial8"),
  sequenceColumn("add-column-identity-always", "n bigint GENERATED ALWAYS AS IDENTITY"),
  sequenceColumn(
    "add-column-identity-by-default",
    "n integer NOT NULL GENERATED BY DEFAULT AS IDENTITY (START WITH 1)",
  ),
  onT({
    id: "alter-column-add-identity",
    migration: "ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH 100000);",
    verdict: "safe",
    why: "turns an existing NOT NULL column into an identity: a sequence is attached, existing values stay",
    recipe: "fine as it is (BY DEFAULT still accepts explicit ids)",
  }),
  onT({
    id: "add-column-generated-stored",
    migration: "ALTER TABLE t ADD COLUMN double_score int GENERATED ALWAYS AS (score * 2) STORED;",
    verdict: "rewrite",
    why: "a STORED generated column is computed and written for every existing row: rewrite under ACCESS EXCLUSIVE",
    recipe:
      "use a VIRTUAL generated column (PostgreSQL ≥ 18), or add a plain column filled by a trigger for new rows and a batched backfill for old ones",
  }),
  onT({
    id: "add-column-generated-virtual",
    migration: "ALTER TABLE t ADD COLUMN double_score int GENERATED ALWAYS AS (score * 2) VIRTUAL;",
    verdict: "safe",
    why: "a VIRTUAL generated column (PostgreSQL ≥ 18) is computed on read: nothing is written",
    recipe: "fine as it is",
  }),
  onT({
    id: "add-column-unique",
    migration: "ALTER TABLE t ADD COLUMN email text UNIQUE;",
    verdict: "scan",
    why: "the UNIQUE index is built by reading every row while ALTER TABLE holds ACCESS EXCLUSIVE",
    recipe:
      "add the column plain; CREATE UNIQUE INDEX CONCURRENTLY in its own migration; then ADD CONSTRAINT … UNIQUE USING INDEX",
  }),
  {
    id: "add-column-serial-primary-key",
    setup: U,
    migration: "ALTER TABLE u ADD COLUMN id bigserial PRIMARY KEY;",
    verdict: "rewrite",
    why: "every row gets a nextval() (rewrite) and the primary key index is built, all under ACCESS EXCLUSIVE",
    recipe:
      "add a nullable bigint with SET DEFAULT nextval(…), backfill in batches, CREATE UNIQUE INDEX CONCURRENTLY, SET NOT NULL (after a validated CHECK), ADD PRIMARY KEY USING INDEX",
    app: U_APP,
  },
  onT({
    id: "add-column-check",
    migration: "ALTER TABLE t ADD COLUMN rating int CHECK (rating BETWEEN 1 AND 5);",
    verdict: "scan",
    why: "an inline CHECK is validated against every existing row while ACCESS EXCLUSIVE is held",
    recipe:
      "add the column plain, then ADD CONSTRAINT … CHECK (…) NOT VALID, and VALIDATE it in a later migration",
  }),
  onT({
    id: "add-column-then-check-not-valid",
    migration: `ALTER TABLE t ADD COLUMN rating int;
ALTER TABLE t ADD CONSTRAINT t_rating_range CHECK (rating BETWEEN 1 AND 5) NOT VALID;`,
    verdict: "safe",
    why: "NOT VALID skips the scan: new rows are checked, old ones are not read",
    recipe: "VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE: reads and writes go on)",
  }),
  onT({
    id: "add-column-references",
    setup: `${T}
${P}`,
    migration: "ALTER TABLE t ADD COLUMN parent_id int REFERENCES p (id);",
    verdict: "safe",
    why: "the new column is NULL everywhere, so PostgreSQL skips validating the foreign key: no scan",
    recipe: "fine as it is (the locks on t and p are brief)",
  }),
  onT({
    id: "add-column-references-with-default",
    setup: `${T}
${P}`,
    migration: "ALTER TABLE t ADD COLUMN parent_id int DEFAULT 1 REFERENCES p (id);",
    verdict: "scan",
    why: "with a non-null default every existing row references p, so the foreign key is validated by reading all rows while ACCESS EXCLUSIVE is held",
    recipe:
      "add the column with its default only, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID, and VALIDATE it in a later migration",
  }),
  domainColumn("add-column-constrained-domain", "rating pos_int"),
  onT({
    id: "add-column-domain-created-in-same-migration",
    migration: `CREATE DOMAIN pos_int AS int CHECK (VALUE > 0);
ALTER TABLE t ADD COLUMN rating pos_int;`,
    verdict: "rewrite",
    why: "pos_int has a CHECK, which PostgreSQL checks by computing the new column for every row: rewrite under ACCESS EXCLUSIVE",
    recipe: DOMAIN_RECIPE,
  }),
  onT({
    id: "add-column-plain-domain",
    setup: `${T}
CREATE DOMAIN label AS text;`,
    migration: "ALTER TABLE t ADD COLUMN tag label;",
    verdict: "safe",
    why: "a domain without constraints is just its base type: a catalog change",
    recipe: "fine as it is",
  }),
  onT({
    id: "add-column-constrained-domain-on-new-table",
    setup: `${T}
CREATE DOMAIN pos_int AS int CHECK (VALUE > 0);`,
    migration: `CREATE TABLE n (id int);
ALTER TABLE n ADD COLUMN rating pos_int;`,
    verdict: "safe",
    why: "the table was created in this migration",
    recipe: "fine as it is",
  }),
];
