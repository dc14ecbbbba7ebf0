// The zero-downtime rules: each rejects the risky form, accepts the safe one, and honours reasoned overrides.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Catalog,
  checkMigration,
  checkMigrations,
  emptyState,
  formatFinding,
  type SchemaState,
} from "./migration-rules.ts";
import { OVERRIDE_MARKER } from "./rule-catalog.ts";
import { isNonTransactional, splitStatements } from "./sql-split.ts";

const existing = (): SchemaState => emptyState(["events", "talks"]);
const errorFindings = (sql: string, state = existing(), catalog?: Catalog) =>
  checkMigration(sql, state, catalog).findings.filter((f) => f.severity === "error");
const errors = (sql: string, state = existing(), catalog?: Catalog) =>
  errorFindings(sql, state, catalog).map((f) => f.rule);
/** The state after an earlier migration. */
const stateAfter = (sql: string): SchemaState => checkMigration(sql, existing()).state;
const catalog = (facts: Partial<Omit<Catalog, "source">>): Catalog => ({
  source: "postgres://db",
  functions: new Map(),
  domains: new Map(),
  columns: new Map(),
  ...facts,
});

describe("splitStatements", () => {
  it("splits on ; and breakpoints, keeps quotes and comments out of the way, tracks lines", () => {
    const sql = [
      "-- leading note",
      "CREATE TABLE \"a;b\" (x text DEFAULT 'it''s; fine');--> statement-breakpoint",
      "/* block; /* nested */ still */ SELECT $tag$ ; $tag$",
      "--> statement-breakpoint",
      "SELECT 1",
    ].join("\n");
    const stmts = splitStatements(sql);
    expect(stmts.map((s) => s.line)).toEqual([2, 3, 5]);
    expect(stmts[0]?.leadingComments).toEqual(["leading note"]);
    expect(stmts[0]?.shape).toBe("CREATE TABLE \"a;b\" (x text DEFAULT '')");
    expect(stmts[1]?.code).toBe("SELECT $tag$ ; $tag$");
    expect(stmts[2]?.text).toBe("SELECT 1");
  });

  it("knows which statements cannot run in a transaction", () => {
    const [a, b, c] = splitStatements(
      "CREATE INDEX CONCURRENTLY i ON t (x); CREATE INDEX i ON t (x); REFRESH MATERIALIZED VIEW CONCURRENTLY v",
    );
    expect([a, b, c].map((s) => (s ? isNonTransactional(s) : null))).toEqual([true, false, false]);
  });
});

describe("index-not-concurrent", () => {
  it("rejects a plain index on an existing table and accepts the concurrent one", () => {
    expect(errors('CREATE INDEX "events_city" ON "events" USING btree ("city");')).toEqual([
      "index-not-concurrent",
    ]);
    expect(errors('CREATE INDEX CONCURRENTLY IF NOT EXISTS "events_city" ON "events" ("city");')).toEqual([]);
  });

  it("accepts an index on a table created in the same migration", () => {
    const sql =
      'CREATE TABLE "tracks" (id serial);--> statement-breakpoint\nCREATE INDEX "t" ON "tracks" ("id");';
    expect(errors(sql)).toEqual([]);
  });

  it("rejects ADD UNIQUE that builds its own index, accepts USING INDEX", () => {
    expect(errors("ALTER TABLE talks ADD CONSTRAINT u UNIQUE (slug)")).toEqual(["index-not-concurrent"]);
    expect(errors("ALTER TABLE talks ADD CONSTRAINT u UNIQUE USING INDEX talks_slug")).toEqual([]);
  });
});

describe("overrides", () => {
  const sql = (comment: string) => `${comment}\nCREATE INDEX "e" ON "events" ("city");`;
  it("accepts an override with a reason, directly above the statement", () => {
    expect(errors(sql("-- edgeplate:allow index-not-concurrent because events has 40 rows"))).toEqual([]);
  });
  it("takes the site's own marker as well as the template's (whose migrations a fork keeps)", () => {
    expect(errors(sql(`-- ${OVERRIDE_MARKER} index-not-concurrent because events has 40 rows`))).toEqual([]);
  });
  it("rejects an override without a reason (and keeps the finding)", () => {
    expect(errors(sql("-- edgeplate:allow index-not-concurrent"))).toEqual([
      "bad-override",
      "index-not-concurrent",
    ]);
    expect(errors(sql("-- edgeplate:allow index-not-concurrent because "))).toContain("index-not-concurrent");
  });
  it("rejects an override naming an unknown rule", () => {
    expect(errors(sql("-- edgeplate:allow everything because yolo"))).toEqual([
      "bad-override",
      "index-not-concurrent",
    ]);
  });
  it("does not let one rule's override silence another", () => {
    const s =
      "-- edgeplate:allow drop-column because unused since v3\nALTER TABLE events DROP COLUMN x, ALTER COLUMN y TYPE int";
    expect(errors(s)).toEqual(["alter-column-type"]);
  });
});

describe("column rules", () => {
  it("NOT NULL without DEFAULT is rejected on existing tables only", () => {
    expect(errors('ALTER TABLE "events" ADD COLUMN "city" text NOT NULL;')).toEqual(["add-column-not-null"]);
    expect(errors("ALTER TABLE events ADD COLUMN city text DEFAULT 'x' NOT NULL")).toEqual([]);
    expect(errors('ALTER TABLE "events" ADD COLUMN "city" text;')).toEqual([]);
    expect(errors("CREATE TABLE n (id int); ALTER TABLE n ADD COLUMN c text NOT NULL")).toEqual([]);
  });

  it("flags volatile defaults (and serial) but not now() or defaults inside strings", () => {
    expect(errors("ALTER TABLE events ADD COLUMN u uuid DEFAULT gen_random_uuid()")).toEqual([
      "volatile-default",
    ]);
    expect(errors("ALTER TABLE events ADD COLUMN t timestamptz DEFAULT clock_timestamp()")).toEqual([
      "volatile-default",
    ]);
    expect(errors("ALTER TABLE events ADD COLUMN n bigserial")).toEqual(["volatile-default"]);
    expect(errors("ALTER TABLE events ADD COLUMN t timestamptz DEFAULT now() NOT NULL")).toEqual([]);
    expect(errors("ALTER TABLE events ADD COLUMN s text DEFAULT 'random()'")).toEqual([]);
  });

  it("flags type changes, renames and drops; renaming a constraint is fine", () => {
    expect(errors("ALTER TABLE events ALTER COLUMN name SET DATA TYPE varchar(80)")).toEqual([
      "alter-column-type",
    ]);
    expect(errors('ALTER TABLE "events" RENAME COLUMN "venue" TO "place"')).toEqual(["rename"]);
    expect(errors("ALTER TABLE events RENAME TO happenings")).toEqual(["rename"]);
    expect(errors("ALTER TABLE events RENAME CONSTRAINT a TO b")).toEqual([]);
    expect(errors('ALTER TABLE "events" DROP COLUMN "venue"')).toEqual(["drop-column"]);
    expect(errors("DROP TABLE talks")).toEqual(["drop-table"]);
  });
});

describe("constraints and SET NOT NULL", () => {
  it("requires NOT VALID for FK and CHECK on existing tables", () => {
    expect(errors("ALTER TABLE talks ADD CONSTRAINT f FOREIGN KEY (event_id) REFERENCES events(id)")).toEqual(
      ["constraint-not-valid"],
    );
    expect(
      errors("ALTER TABLE talks ADD CONSTRAINT f FOREIGN KEY (event_id) REFERENCES events(id) NOT VALID"),
    ).toEqual([]);
    expect(errors("ALTER TABLE events ADD CHECK (starts_at > '2020-01-01')")).toEqual([
      "constraint-not-valid",
    ]);
  });

  it("SET NOT NULL needs a validated IS NOT NULL check, from this or an earlier migration", () => {
    const setNotNull = 'ALTER TABLE "events" ALTER COLUMN "city" SET NOT NULL;';
    expect(errors(setNotNull)).toEqual(["set-not-null"]);

    const added = checkMigration(
      'ALTER TABLE "events" ADD CONSTRAINT "c" CHECK ("city" IS NOT NULL) NOT VALID;',
      existing(),
    );
    expect(added.findings.filter((f) => f.severity === "error")).toEqual([]);
    // Added but not yet validated: still unsafe.
    expect(errors(setNotNull, added.state)).toEqual(["set-not-null"]);
    expect(errors(`ALTER TABLE "events" VALIDATE CONSTRAINT "c";\n${setNotNull}`, added.state)).toEqual([]);
    // A check on another column proves nothing.
    expect(
      errors(
        'ALTER TABLE "events" VALIDATE CONSTRAINT "c"; ALTER TABLE events ALTER COLUMN venue SET NOT NULL',
        added.state,
      ),
    ).toEqual(["set-not-null"]);
  });
});

describe("lock_timeout and transaction shape", () => {
  it("rejects disabling or raising lock_timeout, notes locks on existing tables", () => {
    expect(errors("SET lock_timeout = 0")).toEqual(["lock-timeout"]);
    expect(errors("SET LOCAL lock_timeout TO '1min'")).toEqual(["lock-timeout"]);
    expect(errors("SET lock_timeout = '2s'")).toEqual([]);
    const notes = checkMigration("ALTER TABLE events ADD COLUMN c text", existing()).findings;
    expect(notes).toEqual([expect.objectContaining({ rule: "lock-timeout", severity: "info" })]);
  });

  it("rejects mixing CONCURRENTLY with transactional statements", () => {
    expect(errors("CREATE INDEX CONCURRENTLY i ON events (x); ALTER TABLE events ADD COLUMN c text")).toEqual(
      ["concurrently-mixed"],
    );
  });
});

describe("the project's own migrations", () => {
  it("pass, and findings format as one actionable line", () => {
    const journal = JSON.parse(readFileSync("migrations/meta/_journal.json", "utf8")) as {
      entries: { tag: string }[];
    };
    const migrations = journal.entries.map((e) => ({
      file: `migrations/${e.tag}.sql`,
      sql: readFileSync(`migrations/${e.tag}.sql`, "utf8"),
    }));
    expect(checkMigrations(migrations).filter((f) => f.severity === "error")).toEqual([]);

    const [bad] = checkMigrations([
      { file: "migrations/0009_x.sql", sql: "\n\nCREATE INDEX i ON events (city)" },
    ]);
    expect(bad && formatFinding(bad)).toMatch(
      /^migrations\/0009_x\.sql:3 \[index-not-concurrent\] CREATE INDEX i ON events \(city\) — use CREATE INDEX CONCURRENTLY.*\(override: -- [a-z0-9-]+:allow index-not-concurrent because …\)$/,
    );
    expect(bad && formatFinding(bad)).toContain(`-- ${OVERRIDE_MARKER} index-not-concurrent`);
  });
});

describe("table rewrites on ADD COLUMN", () => {
  const add = (column: string, state = existing(), cat?: Catalog) =>
    errorFindings(`ALTER TABLE events ADD COLUMN ${column}`, state, cat);

  it("says which source decided a default is volatile: migrations, then the catalog, then the built-in list", () => {
    expect(add("x float8 DEFAULT random_normal()").map((f) => f.message)).toEqual([
      expect.stringMatching(/random_normal\(\) is volatile \(per the built-in list \(no database to ask/),
    ]);
    const declared =
      stateAfter(`CREATE FUNCTION new_code() RETURNS text LANGUAGE sql AS $$ SELECT 'immutable' $$;
CREATE FUNCTION tier() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;`);
    expect(add("c text DEFAULT new_code()", declared).map((f) => f.message)).toEqual([
      expect.stringContaining("per its CREATE FUNCTION in a migration"),
    ]);
    expect(add("c text DEFAULT tier()", declared)).toEqual([]);
    const db = catalog({ functions: new Map([["util.make_token", "volatile"]]) });
    expect(add("c text DEFAULT util.make_token()", existing(), db).map((f) => f.message)).toEqual([
      expect.stringContaining("per pg_proc.provolatile in postgres://db"),
    ]);
    expect(add("c text DEFAULT util.make_token()")).toEqual([]);
    // The catalog overrules the built-in list.
    expect(
      add("c float8 DEFAULT random()", existing(), catalog({ functions: new Map([["random", "stable"]]) })),
    ).toEqual([]);
  });

  it("flags every serial spelling and identity columns, without calling them NOT NULL additions", () => {
    for (const column of ["n serial8", "n serial2", "n smallserial", "n bigint GENERATED ALWAYS AS IDENTITY"])
      expect(add(column).map((f) => f.rule)).toEqual(["volatile-default"]);
    expect(add("n int NOT NULL GENERATED BY DEFAULT AS IDENTITY").map((f) => f.rule)).toEqual([
      "volatile-default",
    ]);
    expect(errors("ALTER TABLE events ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")).toEqual([]);
  });

  it("flags STORED generated columns, not VIRTUAL ones", () => {
    expect(add("d int GENERATED ALWAYS AS (registrations_count * 2) STORED").map((f) => f.rule)).toEqual([
      "generated-stored",
    ]);
    expect(add("d int GENERATED ALWAYS AS (registrations_count * 2) VIRTUAL")).toEqual([]);
    expect(add("d int GENERATED ALWAYS AS (registrations_count * 2)")).toEqual([]);
  });

  it("flags columns of a domain with constraints, known from a migration or the catalog", () => {
    const sql = "CREATE DOMAIN pos_int AS int CHECK (VALUE > 0);\nALTER TABLE events ADD COLUMN r pos_int;";
    expect(errors(sql)).toEqual(["domain-constraint"]);
    expect(errors("CREATE DOMAIN label AS text;\nALTER TABLE events ADD COLUMN r label;")).toEqual([]);
    expect(
      add("r public.pos_int", existing(), catalog({ domains: new Map([["public.pos_int", true]]) })).map(
        (f) => f.rule,
      ),
    ).toEqual(["domain-constraint"]);
    expect(add("r pos_int")).toEqual([]);
  });
});

describe("constraints added with a column, and validation", () => {
  it("flags inline UNIQUE/PRIMARY KEY and CHECK, and REFERENCES only with a default", () => {
    expect(errors("ALTER TABLE events ADD COLUMN email text UNIQUE")).toEqual(["index-not-concurrent"]);
    expect(errors("ALTER TABLE events ADD COLUMN k bigserial PRIMARY KEY")).toEqual([
      "volatile-default",
      "index-not-concurrent",
    ]);
    expect(errors("ALTER TABLE events ADD COLUMN r int CHECK (r > 0)")).toEqual(["constraint-not-valid"]);
    expect(errors("ALTER TABLE talks ADD COLUMN e int REFERENCES events (id)")).toEqual([]);
    expect(errors("ALTER TABLE talks ADD COLUMN e int DEFAULT NULL REFERENCES events (id)")).toEqual([]);
    expect(errors("ALTER TABLE talks ADD COLUMN e int DEFAULT 1 REFERENCES events (id)")).toEqual([
      "constraint-not-valid",
    ]);
  });

  it("treats a NOT NULL constraint like a CHECK: NOT VALID first, and it proves SET NOT NULL once validated", () => {
    expect(errors("ALTER TABLE events ADD CONSTRAINT c_nn NOT NULL city")).toEqual(["constraint-not-valid"]);
    const added = stateAfter("ALTER TABLE events ADD CONSTRAINT c_nn NOT NULL city NOT VALID");
    expect(errors("ALTER TABLE events ALTER COLUMN city SET NOT NULL", added)).toEqual(["set-not-null"]);
    expect(
      errors(
        "ALTER TABLE events VALIDATE CONSTRAINT c_nn;\nALTER TABLE events ALTER COLUMN city SET NOT NULL",
        added,
      ),
    ).toEqual([]);
  });

  it("flags VALIDATE in the same migration that added the constraint NOT VALID", () => {
    const add = "ALTER TABLE talks ADD CONSTRAINT f FOREIGN KEY (event_id) REFERENCES events (id) NOT VALID;";
    const validate = "ALTER TABLE talks VALIDATE CONSTRAINT f;";
    expect(errors(`${add}\n${validate}`)).toEqual(["validate-same-migration"]);
    expect(errors(validate, stateAfter(add))).toEqual([]);
  });

  it("flags domain constraints that scan (ADD without NOT VALID, VALIDATE, SET NOT NULL), not new domains", () => {
    expect(errors("ALTER DOMAIN score_t ADD CONSTRAINT nonneg CHECK (VALUE >= 0)")).toEqual([
      "domain-constraint",
    ]);
    expect(errors("ALTER DOMAIN score_t ADD CONSTRAINT nonneg CHECK (VALUE >= 0) NOT VALID")).toEqual([]);
    expect(errors("ALTER DOMAIN score_t VALIDATE CONSTRAINT nonneg")).toEqual(["domain-constraint"]);
    expect(errors("ALTER DOMAIN score_t SET NOT NULL")).toEqual(["domain-constraint"]);
    expect(errors("CREATE DOMAIN email AS text;\nALTER DOMAIN email ADD CHECK (VALUE LIKE '%@%')")).toEqual(
      [],
    );
  });
});

describe("indexes, partitions, TRUNCATE and whole-table rewrites", () => {
  it("wants CONCURRENTLY for REINDEX, DROP INDEX and DETACH PARTITION on existing objects", () => {
    expect(errors("REINDEX INDEX events_slug_unique")).toEqual(["reindex-not-concurrent"]);
    expect(errors("REINDEX (VERBOSE) TABLE events")).toEqual(["reindex-not-concurrent"]);
    expect(errors("REINDEX TABLE CONCURRENTLY events")).toEqual([]);
    expect(errors('DROP INDEX IF EXISTS "events_city"')).toEqual(["drop-index-not-concurrent"]);
    expect(errors('DROP INDEX CONCURRENTLY IF EXISTS "events_city"')).toEqual([]);
    expect(
      errors("CREATE TABLE n (id int); CREATE INDEX n_id ON n (id); DROP INDEX n_id; REINDEX TABLE n"),
    ).toEqual([]);
    expect(errors("ALTER TABLE events DETACH PARTITION events_2024")).toEqual([
      "detach-partition-not-concurrent",
    ]);
    expect(errors("ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY")).toEqual([]);
  });

  it("flags TRUNCATE of existing tables (saying what CASCADE adds), and honours an override", () => {
    expect(errorFindings("TRUNCATE events CASCADE")).toEqual([
      expect.objectContaining({ rule: "truncate", message: expect.stringContaining("CASCADE") }),
    ]);
    expect(errors("TRUNCATE TABLE ONLY events, talks RESTART IDENTITY")).toEqual(["truncate"]);
    expect(errors("CREATE TABLE n (id int); TRUNCATE n")).toEqual([]);
    expect(
      errors("-- edgeplate:allow truncate because the staging table is refilled nightly\nTRUNCATE events"),
    ).toEqual([]);
  });

  it("flags CLUSTER, VACUUM FULL and SET LOGGED/UNLOGGED, not plain VACUUM or storage parameters", () => {
    expect(errors("CLUSTER events USING events_pkey")).toEqual(["table-rewrite"]);
    expect(errors("VACUUM (FULL, ANALYZE) events")).toEqual(["table-rewrite"]);
    expect(errors("ALTER TABLE events SET UNLOGGED")).toEqual(["table-rewrite"]);
    expect(errors("VACUUM (ANALYZE) events")).toEqual([]);
    expect(errors("ALTER TABLE events SET (fillfactor = 90)")).toEqual([]);
  });
});

describe("backfill-with-ddl", () => {
  it("flags UPDATE/DELETE after a statement that locks an existing table, naming it", () => {
    expect(
      errorFindings("ALTER TABLE events ADD COLUMN label text;\nUPDATE events SET label = name;"),
    ).toEqual([
      expect.objectContaining({
        rule: "backfill-with-ddl",
        message: expect.stringContaining("ALTER TABLE events (line 1)"),
      }),
    ]);
    expect(errors("CREATE INDEX CONCURRENTLY i ON events (city);")).toEqual([]);
    expect(errors("TRUNCATE talks;\nDELETE FROM events WHERE id < 10;")).toEqual([
      "truncate",
      "backfill-with-ddl",
    ]);
  });

  it("leaves alone updates before the DDL, without DDL, after weak locks, or of new tables", () => {
    expect(
      errors("UPDATE events SET city = 'x' WHERE id < 100;\nALTER TABLE events ADD COLUMN label text;"),
    ).toEqual([]);
    expect(errors("UPDATE events SET city = 'x' WHERE id < 100")).toEqual([]);
    expect(
      errors("ALTER TABLE events VALIDATE CONSTRAINT c;\nUPDATE events SET city = 'x' WHERE id = 1"),
    ).toEqual([]);
    expect(
      errors("CREATE TABLE n (id int);\nALTER TABLE n ADD COLUMN c text;\nUPDATE n SET c = 'x'"),
    ).toEqual([]);
  });
});

describe("type changes PostgreSQL makes in the catalog only", () => {
  const created = () =>
    stateAfter('CREATE TABLE "notes" ("id" serial, "body" varchar(20), "amount" numeric(10, 2))');

  it("accepts raising or dropping a varchar limit and raising numeric precision, when the old type is known", () => {
    expect(errors("ALTER TABLE notes ALTER COLUMN body TYPE text", created())).toEqual([]);
    expect(errors('ALTER TABLE "notes" ALTER COLUMN "body" SET DATA TYPE varchar(40)', created())).toEqual(
      [],
    );
    expect(errors("ALTER TABLE notes ALTER COLUMN amount TYPE numeric(12,2)", created())).toEqual([]);
    const db = catalog({ columns: new Map([["events.venue", "character varying(50)"]]) });
    expect(errors("ALTER TABLE events ALTER COLUMN venue TYPE text", existing(), db)).toEqual([]);
  });

  it("flags shrinking, USING, other types, and any change whose old type is unknown", () => {
    expect(errors("ALTER TABLE notes ALTER COLUMN body TYPE varchar(10)", created())).toEqual([
      "alter-column-type",
    ]);
    expect(errors("ALTER TABLE notes ALTER COLUMN body TYPE text USING trim(body)", created())).toEqual([
      "alter-column-type",
    ]);
    expect(errors("ALTER TABLE notes ALTER COLUMN amount TYPE numeric(12,3)", created())).toEqual([
      "alter-column-type",
    ]);
    expect(errors("ALTER TABLE notes ALTER COLUMN id TYPE bigint", created())).toEqual(["alter-column-type"]);
    expect(errors("ALTER TABLE events ALTER COLUMN venue TYPE text")).toEqual(["alter-column-type"]);
  });
});
