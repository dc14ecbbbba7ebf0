// CI gate: every migration must be zero-downtime safe, listed in the journal, and match shared/db/schema.ts.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { redactUrl } from "./database-url.ts";
import { catalogFromUrl } from "./db-catalog.ts";
import { type Catalog, checkMigrations, type FileFinding, formatFinding } from "./migration-rules.ts";

interface Journal {
  entries: { tag: string }[];
}

const error = (file: string, rule: FileFinding["rule"], message: string): FileFinding => ({
  file,
  rule,
  line: 1,
  statement: "",
  severity: "error",
  message,
});

/** Files on disk and journal entries must match one to one, or a migration silently never runs. */
function journalFindings(folder: string, journal: Journal): FileFinding[] {
  const listed = new Set(journal.entries.map((e) => `${e.tag}.sql`));
  const onDisk = readdirSync(folder).filter((f) => f.endsWith(".sql"));
  return [
    ...onDisk
      .filter((f) => !listed.has(f))
      .map((f) => error(join(folder, f), "journal", "not in meta/_journal.json")),
    ...[...listed]
      .filter((f) => !onDisk.includes(f))
      .map((f) => error(join(folder, f), "journal", "listed in meta/_journal.json but missing")),
  ];
}

/** Diffs the schema against the newest snapshot the way `drizzle-kit generate` would. */
async function driftFindings(folder: string, schemaPath: string, journal: Journal): Promise<FileFinding[]> {
  const idx = String(journal.entries.length - 1).padStart(4, "0");
  const snapshotPath = join(folder, "meta", `${idx}_snapshot.json`);
  if (!existsSync(snapshotPath)) return [error(snapshotPath, "journal", "newest snapshot is missing")];
  const prev = JSON.parse(readFileSync(snapshotPath, "utf8")) as Parameters<typeof generateMigration>[0];
  const schema = (await import(pathToFileURL(schemaPath).href)) as Record<string, unknown>;
  let statements: string[];
  try {
    statements = await generateMigration(prev, generateDrizzleJson(schema, prev.id));
  } catch (e) {
    // drizzle-kit asks a person whether a table or column was renamed; with no terminal it throws instead.
    const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return [
      error(
        schemaPath,
        "schema-drift",
        `the schema differs from the newest snapshot (${reason}): run npm run db:generate`,
      ),
    ];
  }
  return statements.map((s) => error(schemaPath, "schema-drift", `a new migration would run: ${s}`));
}

/**
 * `catalogFor`, when given, supplies facts from a live database for the migrations' SQL (function volatility,
 * domains, column types); without it the rules fall back to what the migrations declare and a built-in list.
 */
export async function checkMigrationsFolder(
  folder = "migrations",
  schemaPath = "shared/db/schema.ts",
  catalogFor?: (sqls: string[]) => Promise<Catalog | undefined>,
): Promise<FileFinding[]> {
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as Journal;
  const migrations = journal.entries
    .filter((e) => existsSync(join(folder, `${e.tag}.sql`)))
    .map((e) => ({
      file: join(folder, `${e.tag}.sql`),
      sql: readFileSync(join(folder, `${e.tag}.sql`), "utf8"),
    }));
  const catalog = await catalogFor?.(migrations.map((m) => m.sql));
  return [
    ...journalFindings(folder, journal),
    ...checkMigrations(migrations, catalog),
    ...(await driftFindings(folder, schemaPath, journal)),
  ];
}

/** The catalog of DIRECT_DATABASE_URL (or DATABASE_URL) when set and reachable; otherwise offline, said so. */
async function envCatalog(sqls: string[]): Promise<Catalog | undefined> {
  const url = process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) return undefined;
  try {
    const catalog = await catalogFromUrl(url, sqls);
    console.log(`check-migrations: function volatility, domains and column types from ${catalog.source}`);
    return catalog;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    console.log(`check-migrations: cannot reach ${redactUrl(url)} (${reason}); checking offline`);
    return undefined;
  }
}

async function main() {
  const findings = await checkMigrationsFolder(undefined, undefined, envCatalog);
  for (const f of findings) console.log(formatFinding(f));
  const errors = findings.filter((f) => f.severity === "error").length;
  const notes = findings.length - errors;
  if (errors > 0) {
    console.log(`check-migrations: ${errors} problem(s), ${notes} note(s) — see docs/migrations.md`);
    process.exitCode = 1;
  } else console.log(`check-migrations: ok (${notes} note(s))`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e: unknown) => {
    console.error(`check-migrations failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
