// Reads drizzle's migration journal and decides, drizzle's way, which migrations a database still needs.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isNonTransactional, type Statement, splitStatements } from "./sql-split.ts";

export interface Migration {
  tag: string;
  /** Journal `when`: drizzle stores it as `created_at` and compares on it. */
  when: number;
  /** sha256 of the whole file, exactly as drizzle-orm's migrator computes it. */
  hash: string;
  /** The file's text, for the safety checker. */
  sql: string;
  statements: Statement[];
  /** False when any statement (CREATE INDEX CONCURRENTLY…) refuses a transaction block. */
  transactional: boolean;
}

interface Journal {
  entries: { tag: string; when: number }[];
}

export function readMigrations(folder: string): Migration[] {
  const journalPath = join(folder, "meta", "_journal.json");
  if (!existsSync(journalPath)) throw new Error(`no drizzle journal at ${journalPath}`);
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
  return journal.entries.map(({ tag, when }) => {
    const path = join(folder, `${tag}.sql`);
    if (!existsSync(path)) throw new Error(`journal lists ${tag} but ${path} is missing`);
    const sql = readFileSync(path, "utf8");
    const statements = splitStatements(sql);
    return {
      tag,
      when,
      hash: createHash("sha256").update(sql).digest("hex"),
      sql,
      statements,
      transactional: !statements.some(isNonTransactional),
    };
  });
}

export interface AppliedRow {
  hash: string;
  created_at: string | number | null;
}

/**
 * drizzle-orm applies every migration newer than the newest recorded `created_at`; we do the same so the
 * two runners agree, but refuse (instead of silently skipping) an unapplied migration older than that.
 */
export function planMigrations(
  migrations: Migration[],
  applied: AppliedRow[],
  to?: string,
): { pending: Migration[]; alreadyApplied: number; modified: string[] } {
  const byWhen = new Map(applied.map((r) => [Number(r.created_at), r.hash]));
  const newest = Math.max(0, ...byWhen.keys());
  if (to !== undefined && !migrations.some((m) => m.tag === to)) throw new Error(`unknown migration ${to}`);
  const upTo =
    to === undefined ? migrations : migrations.slice(0, migrations.findIndex((m) => m.tag === to) + 1);
  const pending: Migration[] = [];
  const modified: string[] = [];
  let alreadyApplied = 0;
  for (const m of upTo) {
    const hash = byWhen.get(m.when);
    if (hash !== undefined) {
      alreadyApplied++;
      if (hash !== m.hash) modified.push(m.tag);
    } else if (m.when <= newest) {
      throw new Error(
        `${m.tag} is older than the newest applied migration but was never applied (merged out of order?): regenerate it so it sorts last`,
      );
    } else pending.push(m);
  }
  return { pending, alreadyApplied, modified };
}
