// The CI gate over a whole folder: journal/file agreement and schema drift, besides the per-statement rules.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkMigrationsFolder } from "./check-migrations.ts";
import { readMigrations } from "./journal.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the project's migrations truncated to the first `keep` journal entries. */
function truncatedCopy(keep: number): string {
  const dir = mkdtempSync(join(tmpdir(), "edgeplate-check-"));
  dirs.push(dir);
  cpSync("migrations", dir, { recursive: true });
  const path = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(path, "utf8")) as { entries: unknown[] };
  writeFileSync(path, JSON.stringify({ ...journal, entries: journal.entries.slice(0, keep) }));
  return dir;
}

describe("checkMigrationsFolder", () => {
  it("passes on the project's migrations (only informational notes)", async () => {
    const findings = await checkMigrationsFolder();
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  it("hands the migrations' SQL to a catalog source when one is given", async () => {
    const seen: string[][] = [];
    const findings = await checkMigrationsFolder(undefined, undefined, async (sqls) => {
      seen.push(sqls);
      return undefined;
    });
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    // One call with every migration's SQL, in journal order.
    const tags = readMigrations("migrations").map((m) => m.tag);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(tags.length);
    expect(seen[0]?.[0]).toContain('CREATE TABLE "comments"');
    expect(seen[0]?.[tags.indexOf("0003_events_city_enforce")]).toContain("VALIDATE CONSTRAINT");
  });

  it("reports SQL files the journal does not list, and schema changes with no migration", async () => {
    // The first migration's world had the local mail table a later migration drops; keeping it in the schema
    // leaves only additions to diff (a drop beside a create makes drizzle-kit ask about renames).
    const dir = truncatedCopy(1);
    const schema = join(dir, "schema.ts");
    writeFileSync(
      schema,
      `export * from ${JSON.stringify(resolve("shared/db/schema.ts"))};
import { pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
export const outbox = pgTable("outbox", {
  id: serial("id").primaryKey(),
  jobId: text("job_id").notNull().unique(),
  kind: text("kind").notNull(),
  recipient: text("recipient").notNull(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
`,
    );
    const findings = await checkMigrationsFolder(dir, schema);
    const journal = findings.filter((f) => f.rule === "journal").map((f) => f.file);
    const later = readMigrations("migrations")
      .slice(1)
      .map((m) => `${m.tag}.sql`);
    expect(journal.map((f) => f.split("/").pop())).toEqual(later);
    // The naive migration drizzle-kit would generate is exactly what the rules forbid.
    expect(findings.filter((f) => f.rule === "schema-drift").map((f) => f.message)).toContain(
      'a new migration would run: ALTER TABLE "events" ADD COLUMN "city" text NOT NULL;',
    );
  });
});
