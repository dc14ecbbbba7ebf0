// Applies pending drizzle migrations with a short lock_timeout, retrying politely when a lock is busy.

import { pathToFileURL } from "node:url";
import pg from "pg";
import { SITE } from "../../shared/site/index.ts";
import { redactUrl, resolveDatabaseUrl } from "./database-url.ts";
import { loadCatalog } from "./db-catalog.ts";
import { type Migration, planMigrations, readMigrations } from "./journal.ts";
import { checkMigrations, formatFinding } from "./migration-rules.ts";
import { concurrentIndexName } from "./sql-names.ts";
import type { Statement } from "./sql-split.ts";

export interface MigrateOptions {
  log?: (line: string) => void;
  /** How long one statement may wait for a lock before giving up (and retrying). Default 3000. */
  lockTimeoutMs?: number;
  /** Extra attempts after a lock timeout. Default 5. */
  retries?: number;
  /** First wait between attempts; doubles each time, capped at 10 s. Default 500. */
  backoffMs?: number;
  migrationsFolder?: string;
  /** Stop after this migration tag (e.g. to run a backfill between expand and enforce). */
  to?: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
    readonly sqlState?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

const LOCK_NOT_AVAILABLE = "55P03";
// Any fixed 64-bit key works; it only has to be the same for every migrator of this database.
const ADVISORY_KEY = "7243100915";
const TABLE = "drizzle.__drizzle_migrations";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sqlStateOf = (e: unknown): string | undefined =>
  e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : undefined;
const short = (s: string) => (s.length > 80 ? `${s.slice(0, 79)}…` : s);
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function migrate(url: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const lockTimeoutMs = options.lockTimeoutMs ?? 3000;
  const retries = options.retries ?? 5;
  const backoffMs = options.backoffMs ?? 500;
  const migrations = readMigrations(options.migrationsFolder ?? "migrations");

  const client = new pg.Client({ connectionString: url, application_name: `${SITE.name}-migrate` });
  try {
    await client.connect();
  } catch (e) {
    throw new MigrationError(
      `cannot connect to ${redactUrl(url)}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  // A failed statement must not crash the process through an unhandled 'error' event.
  client.on("error", () => {});

  /** Runs `attempt` until it stops failing with lock_not_available, backing off in between. */
  async function withLockRetries(label: string, attempt: () => Promise<void>): Promise<number> {
    for (let n = 0; ; n++) {
      const started = performance.now();
      try {
        await attempt();
        return Math.round(performance.now() - started);
      } catch (e) {
        if (sqlStateOf(e) !== LOCK_NOT_AVAILABLE || n >= retries) throw e;
        const wait = Math.min(backoffMs * 2 ** n, 10_000);
        log(
          `${label} … lock not available within ${lockTimeoutMs} ms, retry ${n + 1}/${retries} in ${wait} ms`,
        );
        await sleep(wait);
      }
    }
  }

  /** A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind; drop it so the retry can build it. */
  async function dropInvalidIndex(stmt: Statement) {
    const name = concurrentIndexName(stmt.shape);
    if (!name) return;
    const { rowCount } = await client.query(
      `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relname = $1 AND NOT i.indisvalid AND pg_table_is_visible(c.oid)`,
      [name],
    );
    if (rowCount) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(name)}`);
  }

  async function apply(m: Migration) {
    const record = () =>
      client.query(`INSERT INTO ${TABLE} (hash, created_at) VALUES ($1, $2)`, [m.hash, m.when]);
    if (m.transactional) {
      const label = `applying ${m.tag}`;
      const ms = await withLockRetries(label, async () => {
        await client.query("BEGIN");
        try {
          for (const stmt of m.statements) await run(m, stmt);
          await record();
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw e;
        }
      });
      log(`${label} … ok (${ms} ms)`);
      return;
    }
    // Outside a transaction each statement commits on its own, so each one is retried on its own.
    const label = `applying ${m.tag} (outside a transaction)`;
    let total = 0;
    for (const stmt of m.statements) {
      total += await withLockRetries(label, async () => {
        await dropInvalidIndex(stmt);
        await run(m, stmt);
      });
    }
    await record();
    log(`${label} … ok (${total} ms)`);
  }

  async function run(m: Migration, stmt: Statement) {
    try {
      await client.query(stmt.text);
    } catch (e) {
      if (e instanceof Error) e.message = `${e.message} — at ${m.tag}.sql:${stmt.line} ${short(stmt.code)}`;
      throw e;
    }
  }

  /** The safety checker once more, with this database's catalog (volatility, domains, column types). */
  async function warnUnsafe(pending: Migration[]) {
    if (pending.length === 0) return;
    const catalog = await loadCatalog(
      client,
      migrations.map((m) => m.sql),
      redactUrl(url),
    );
    const files = migrations.map((m) => ({ file: `${m.tag}.sql`, sql: m.sql }));
    const pendingFiles = new Set(pending.map((m) => `${m.tag}.sql`));
    for (const f of checkMigrations(files, catalog))
      if (f.severity === "error" && pendingFiles.has(f.file)) log(`warning: ${formatFinding(f)}`);
  }

  let current: string | undefined;
  try {
    // Session settings: pooled (transaction-mode) connections would drop these, hence the direct URL.
    await client.query(`SET lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
    await withLockRetries("waiting for the migration lock", async () => {
      const { rows } = await client.query<{ ok: boolean }>(
        `SELECT pg_try_advisory_lock(${ADVISORY_KEY}) AS ok`,
      );
      if (!rows[0]?.ok)
        throw Object.assign(new Error("another migrator holds the migration lock"), {
          code: LOCK_NOT_AVAILABLE,
        });
    });
    await client.query("CREATE SCHEMA IF NOT EXISTS drizzle");
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
    );
    const { rows } = await client.query<{ hash: string; created_at: string | null }>(
      `SELECT hash, created_at FROM ${TABLE}`,
    );
    const plan = planMigrations(migrations, rows, options.to);
    for (const tag of plan.modified)
      log(`warning: ${tag} changed after it was applied (its hash differs); not re-run`);
    await warnUnsafe(plan.pending);
    for (const m of plan.pending) {
      current = m.tag;
      await apply(m);
    }
    if (plan.pending.length === 0) log(`nothing to migrate (${plan.alreadyApplied} applied)`);
    return { applied: plan.pending.map((m) => m.tag), alreadyApplied: plan.alreadyApplied };
  } catch (e) {
    if (e instanceof MigrationError) throw e;
    const state = sqlStateOf(e);
    const reason = e instanceof Error ? e.message : String(e);
    const what = current ? `migration ${current} failed` : "migrate failed";
    const hint =
      state === LOCK_NOT_AVAILABLE
        ? ` (gave up after ${retries + 1} attempts with lock_timeout ${lockTimeoutMs} ms: a long transaction holds a conflicting lock — look in pg_stat_activity; nothing of this migration was kept${current && migrations.find((m) => m.tag === current)?.transactional === false ? " except statements that already completed" : ""})`
        : "";
    throw new MigrationError(
      `${what}: ${reason}${state ? ` [SQLSTATE ${state}]` : ""}${hint}`,
      current,
      state,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

async function main() {
  const { url, source } = resolveDatabaseUrl();
  const env = process.env;
  console.log(`migrating ${redactUrl(url)} (from ${source})`);
  await migrate(url, {
    ...(env.MIGRATE_LOCK_TIMEOUT_MS ? { lockTimeoutMs: Number(env.MIGRATE_LOCK_TIMEOUT_MS) } : {}),
    ...(env.MIGRATE_RETRIES ? { retries: Number(env.MIGRATE_RETRIES) } : {}),
    ...(env.MIGRATE_TO ? { to: env.MIGRATE_TO } : {}),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e: unknown) => {
    console.error(`db:migrate failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
