// Zero-downtime rules for migration SQL (strong_migrations/squawk style): SQL text + prior state → findings.
import { checkAlterAction } from "./alter-table-rules.ts";
import type { Catalog } from "./catalog.ts";
import { FIXES, type FileFinding, type Finding, OVERRIDE_MARKERS, type RuleId } from "./rule-catalog.ts";
import { cloneState, emptyState, type MigrationContext, type SchemaState } from "./rule-context.ts";
import { identName, QNAME, re } from "./sql-names.ts";
import { isNonTransactional, type Statement, splitStatements, splitTopLevel } from "./sql-split.ts";
import { checkOtherStatement } from "./statement-rules.ts";

export type { Catalog } from "./catalog.ts";
export { FIXES, type FileFinding, type Finding, formatFinding, type RuleId } from "./rule-catalog.ts";
export { emptyState, type SchemaState } from "./rule-context.ts";

const ALTER_TABLE = re(String.raw`^alter table (?:if exists )?(?:only )?(${QNAME}) ?\*? (.*)$`);
const SET_LOCK_TIMEOUT = re(`^(?:set (?:local |session )?lock_timeout ?(?:=|to) ?(.+)|reset lock_timeout)$`);
const OVERRIDE = new RegExp(`^(?:${OVERRIDE_MARKERS.join("|")})\\s+(\\S+)(?:\\s+because\\b(.*))?$`);
// ALTER TABLE actions that take only SHARE UPDATE EXCLUSIVE: reads and writes go on.
const WEAK_ACTION =
  /^(?:validate constraint|set statistics|set \(|reset \(|detach partition .* concurrently)/i;

/** `'3s'`, `500`, `'1min'` → milliseconds; `0`, DEFAULT and RESET all mean "no timeout" (→ 0). */
function lockTimeoutMs(value: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?) ?(ms|s|min|h)?$/.exec((value ?? "0").replace(/'/g, "").trim().toLowerCase());
  if (!m) return 0;
  return Number(m[1]) * ({ ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[m[2] ?? "ms"] ?? 1);
}

function overridesOf(stmt: Statement): { rule: string; reason: string }[] {
  return stmt.leadingComments.flatMap((c) => {
    const m = OVERRIDE.exec(c.trim());
    return m ? [{ rule: m[1] ?? "", reason: (m[2] ?? "").trim() }] : [];
  });
}

/** Raw findings of one statement, before overrides; updates the context as a side record. */
function checkStatement(stmt: Statement, ctx: MigrationContext): Finding[] {
  const found: Finding[] = [];
  ctx.emit = (rule: RuleId, message?: string) =>
    found.push({
      rule,
      line: stmt.line,
      statement: stmt.code,
      severity: "error",
      ...(message ? { message } : {}),
    });
  const alter = ALTER_TABLE.exec(stmt.shape);
  const lock = SET_LOCK_TIMEOUT.exec(stmt.code);
  if (alter) {
    const table = identName(alter[1] ?? "");
    const existing = !ctx.created.has(table);
    const actions = splitTopLevel(alter[2] ?? "");
    for (const action of actions) checkAlterAction(action, { ...ctx, table, existing });
    if (existing) ctx.touched.add(table);
    if (existing && actions.some((a) => !WEAK_ACTION.test(a)))
      ctx.lockedBy ??= `ALTER TABLE ${table} (line ${stmt.line})`;
  } else if (lock) {
    const ms = lockTimeoutMs(lock[1]);
    if (ms === 0 || ms > 10_000)
      ctx.emit("lock-timeout", ms === 0 ? "disables lock_timeout" : `lock_timeout ${ms} ms`);
  } else checkOtherStatement(stmt, ctx);
  return found;
}

/**
 * Checks one migration. `before` is the state after earlier migrations (not mutated); the returned state
 * feeds the next one. Tables not created in this migration count as existing, known to `before` or not.
 */
export function checkMigration(
  sql: string,
  before: SchemaState = emptyState(),
  catalog?: Catalog,
): { findings: Finding[]; state: SchemaState } {
  const findings: Finding[] = [];
  const statements = splitStatements(sql);
  const ctx: MigrationContext = {
    state: cloneState(before),
    ...(catalog ? { catalog } : {}),
    created: new Set(),
    createdIndexes: new Set(),
    createdDomains: new Set(),
    touched: new Set(),
    notValid: new Set(),
    transactional: !statements.some(isNonTransactional),
    emit: () => {},
  };
  const firstTx = statements.find((s) => !isNonTransactional(s));
  if (firstTx && statements.some(isNonTransactional))
    findings.push({
      rule: "concurrently-mixed",
      line: firstTx.line,
      statement: firstTx.code,
      severity: "error",
    });

  for (const stmt of statements) {
    const raw = checkStatement(stmt, ctx);
    const overrides = overridesOf(stmt);
    for (const o of overrides) {
      if (o.rule in FIXES && o.reason !== "") continue;
      const message = o.reason === "" ? `override of ${o.rule} has no reason` : `unknown rule ${o.rule}`;
      findings.push({
        rule: "bad-override",
        line: stmt.line,
        statement: stmt.code,
        severity: "error",
        message,
      });
    }
    findings.push(...raw.filter((f) => !overrides.some((o) => o.rule === f.rule && o.reason !== "")));
  }

  if (ctx.touched.size > 0) {
    const tables = [...ctx.touched].join(", ");
    findings.push({
      rule: "lock-timeout",
      line: 1,
      statement: "",
      severity: "info",
      message: `locks existing table(s) ${tables}: safe under npm run db:migrate (lock_timeout + retries); drizzle-kit migrate sets no lock_timeout`,
    });
  }
  return { findings, state: ctx.state };
}

/**
 * Checks migrations in journal order, carrying what they declare (tables, NOT NULL checks, functions, domains,
 * column types) from one to the next. `catalog`: facts from a live database, when one is reachable.
 */
export function checkMigrations(
  migrations: { file: string; sql: string }[],
  catalog?: Catalog,
): FileFinding[] {
  let state = emptyState();
  return migrations.flatMap(({ file, sql }) => {
    const result = checkMigration(sql, state, catalog);
    state = result.state;
    return result.findings.map((f) => ({ ...f, file }));
  });
}
