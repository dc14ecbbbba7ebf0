// The zero-downtime rules: each rejects the risky form, accepts the safe one, and honours reasoned overrides.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkMigration,
  checkMigrations,
  emptyState,
  formatFinding,
  type SchemaState,
} from "./migration-rules.ts";
import { isNonTransactional, splitStatements } from "./sql-split.ts";

const existing = (): SchemaState => emptyState(["events", "talks"]);
const errors = (sql: string, state = existing()) =>
  checkMigration(sql, state)
    .findings.filter((f) => f.severity === "error")
    .map((f) => f.rule);

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

  it("flags volatile defaults but not now() or defaults inside strings", () => {
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
      /^migrations\/0009_x\.sql:3 \[index-not-concurrent\] CREATE INDEX i ON events \(city\) — use CREATE INDEX CONCURRENTLY.*\(override: -- edgeplate:allow index-not-concurrent because …\)$/,
    );
  });
});
