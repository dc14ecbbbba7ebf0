// Zero-downtime rules for migration SQL (strong_migrations/squawk style): SQL text + prior state → findings.
import { type ActionContext, checkAlterAction, type SchemaState } from "./alter-table-rules.ts";
import { FIXES, type FileFinding, type Finding, type RuleId } from "./rule-catalog.ts";
import { IDENT, identName, QNAME, re } from "./sql-names.ts";
import { isNonTransactional, type Statement, splitStatements } from "./sql-split.ts";

export type { SchemaState } from "./alter-table-rules.ts";
export { FIXES, type FileFinding, type Finding, formatFinding, type RuleId } from "./rule-catalog.ts";

export const emptyState = (tables: Iterable<string> = []): SchemaState => ({
  tables: new Set(tables),
  notNullChecks: new Map(),
});

const CREATE_TABLE = re(
  `^create (?:(?:global |local )?(?:temp|temporary|unlogged) )?table (?:if not exists )?(${QNAME})`,
);
const CREATE_INDEX = re(
  `^create (?:unique )?index (concurrently )?(?:if not exists )?(?:${IDENT} )?on (?:only )?(${QNAME})`,
);
const ALTER_TABLE = re(String.raw`^alter table (?:if exists )?(?:only )?(${QNAME}) ?\*? (.*)$`);
const DROP_TABLE = re(String.raw`^drop table\b`);
const SET_LOCK_TIMEOUT = re(`^(?:set (?:local |session )?lock_timeout ?(?:=|to) ?(.+)|reset lock_timeout)$`);
const OVERRIDE = /^edgeplate:allow\s+(\S+)(?:\s+because\b(.*))?$/;

/** Splits `a, b (x, y), c` at top-level commas. */
function splitActions(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")") depth--;
    else if (s[i] === "," && depth === 0) {
      out.push(s.slice(from, i).trim());
      from = i + 1;
    }
  }
  out.push(s.slice(from).trim());
  return out;
}

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

/** Raw findings of one statement, before overrides; updates `state` and the sets as a side record. */
function checkStatement(
  stmt: Statement,
  state: SchemaState,
  created: Set<string>,
  touched: Set<string>,
): Finding[] {
  const found: Finding[] = [];
  const emit = (rule: RuleId, message?: string) =>
    found.push({
      rule,
      line: stmt.line,
      statement: stmt.code,
      severity: "error",
      ...(message ? { message } : {}),
    });
  const s = stmt.shape;
  const table = CREATE_TABLE.exec(s);
  const index = CREATE_INDEX.exec(s);
  const alter = ALTER_TABLE.exec(s);
  const lock = SET_LOCK_TIMEOUT.exec(stmt.code);
  if (table) {
    const t = identName(table[1] ?? "");
    created.add(t);
    state.tables.add(t);
  } else if (index) {
    const t = identName(index[2] ?? "");
    if (!created.has(t)) touched.add(t);
    if (!index[1] && !created.has(t)) emit("index-not-concurrent");
  } else if (alter) {
    const t = identName(alter[1] ?? "");
    const ctx: ActionContext = { table: t, existing: !created.has(t), state, emit };
    if (ctx.existing) touched.add(t);
    for (const action of splitActions(alter[2] ?? "")) checkAlterAction(action, ctx);
  } else if (DROP_TABLE.test(s)) {
    emit("drop-table");
  } else if (lock) {
    const ms = lockTimeoutMs(lock[1]);
    if (ms === 0 || ms > 10_000)
      emit("lock-timeout", ms === 0 ? "disables lock_timeout" : `lock_timeout ${ms} ms`);
  }
  return found;
}

/**
 * Checks one migration. `before` is the state after earlier migrations (not mutated); the returned state
 * feeds the next one. Tables not created in this migration count as existing, known to `before` or not.
 */
export function checkMigration(
  sql: string,
  before: SchemaState = emptyState(),
): { findings: Finding[]; state: SchemaState } {
  const state: SchemaState = {
    tables: new Set(before.tables),
    notNullChecks: new Map([...before.notNullChecks].map(([k, v]) => [k, { ...v }])),
  };
  const created = new Set<string>();
  const touched = new Set<string>();
  const findings: Finding[] = [];
  const statements = splitStatements(sql);
  const firstTx = statements.find((s) => !isNonTransactional(s));
  if (firstTx && statements.some(isNonTransactional))
    findings.push({
      rule: "concurrently-mixed",
      line: firstTx.line,
      statement: firstTx.code,
      severity: "error",
    });

  for (const stmt of statements) {
    const raw = checkStatement(stmt, state, created, touched);
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

  if (touched.size > 0) {
    const tables = [...touched].join(", ");
    findings.push({
      rule: "lock-timeout",
      line: 1,
      statement: "",
      severity: "info",
      message: `locks existing table(s) ${tables}: safe under npm run db:migrate (lock_timeout + retries); drizzle-kit migrate sets no lock_timeout`,
    });
  }
  return { findings, state };
}

/** Checks migrations in journal order, carrying tables and NOT NULL checks from one to the next. */
export function checkMigrations(migrations: { file: string; sql: string }[]): FileFinding[] {
  let state = emptyState();
  return migrations.flatMap(({ file, sql }) => {
    const result = checkMigration(sql, state);
    state = result.state;
    return result.findings.map((f) => ({ ...f, file }));
  });
}
