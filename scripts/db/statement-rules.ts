// Rules for statements other than ALTER TABLE: tables, indexes, TRUNCATE, domains, functions, backfills.
import type { Volatility } from "./catalog.ts";
import { typeOfDefinition } from "./column-types.ts";
import type { MigrationContext } from "./rule-context.ts";
import { IDENT, identName, QNAME, re } from "./sql-names.ts";
import { parenthesised, type Statement, splitTopLevel } from "./sql-split.ts";

type Handler = (m: RegExpExecArray, stmt: Statement, ctx: MigrationContext) => void;

const names = (list: string): string[] =>
  splitTopLevel(list).map((n) => identName(n.replace(/^only /i, "").replace(/ ?\*$/, "")));

/** `schema.name` and, for the default schema, the bare name too: how a later call may spell it. */
function declaredKeys(raw: string): string[] {
  const parts = raw.match(new RegExp(IDENT, "gi")) ?? [raw];
  const name = identName(parts[parts.length - 1] ?? raw);
  const schema = parts.length > 1 ? identName(parts[0] ?? "") : "public";
  return schema === "public" ? [name, `public.${name}`] : [`${schema}.${name}`];
}

/** Records that this statement holds a lock on an existing table that blocks reads or writes until commit. */
function locks(ctx: MigrationContext, stmt: Statement, what: string): void {
  ctx.lockedBy ??= `${what} (line ${stmt.line})`;
}

const TABLE_ELEMENT = re(
  `^(?!(?:constraint|primary key|unique|check|foreign key|exclude|like)\\b)(${IDENT}) (.*)$`,
);

const STATEMENTS: [RegExp, Handler][] = [
  [
    re(`^create (?:(?:global |local )?(?:temp|temporary|unlogged) )?table (?:if not exists )?(${QNAME})`),
    (m, stmt, { created, state }) => {
      const table = identName(m[1] ?? "");
      created.add(table);
      state.tables.add(table);
      const body = parenthesised(stmt.shape, m[0].length);
      for (const element of body ? splitTopLevel(body) : []) {
        const col = TABLE_ELEMENT.exec(element);
        if (col) state.columns.set(`${table}.${identName(col[1] ?? "")}`, typeOfDefinition(col[2] ?? ""));
      }
    },
  ],
  [
    re(
      `^create (?:unique )?index (concurrently )?(?:if not exists )?(?:(${IDENT}) )?on (?:only )?(${QNAME})`,
    ),
    (m, stmt, ctx) => {
      const table = identName(m[3] ?? "");
      if (m[2]) ctx.createdIndexes.add(identName(m[2]));
      if (ctx.created.has(table)) return;
      ctx.touched.add(table);
      if (m[1]) return;
      ctx.emit("index-not-concurrent");
      locks(ctx, stmt, `CREATE INDEX on ${table}`);
    },
  ],
  [
    re(`^drop index (concurrently )?(?:if exists )?(.*?)(?: cascade| restrict)?$`),
    (m, stmt, ctx) => {
      if (m[1] || names(m[2] ?? "").every((n) => ctx.createdIndexes.has(n))) return;
      ctx.emit("drop-index-not-concurrent");
      locks(ctx, stmt, "DROP INDEX");
    },
  ],
  [
    re(
      String.raw`^reindex (?:\([^)]*\) )?(index|table|schema|database|system)(?: (concurrently))?(?: (${QNAME}))?`,
    ),
    (m, stmt, ctx) => {
      const target = identName(m[3] ?? "");
      const kind = (m[1] ?? "").toLowerCase();
      const isNew =
        kind === "index" ? ctx.createdIndexes.has(target) : kind === "table" && ctx.created.has(target);
      if (m[2] || isNew) return;
      ctx.emit("reindex-not-concurrent");
      locks(ctx, stmt, `REINDEX ${kind.toUpperCase()} ${target}`);
    },
  ],
  [
    re(String.raw`^drop table\b(?: if exists)? (.*?)(?: cascade| restrict)?$`),
    (m, stmt, ctx) => {
      ctx.emit("drop-table");
      if (names(m[1] ?? "").some((t) => !ctx.created.has(t))) locks(ctx, stmt, "DROP TABLE");
    },
  ],
  [
    re(`^truncate (?:table )?(.*?)(?: (?:restart|continue) identity)?( cascade| restrict)?$`),
    (m, stmt, ctx) => {
      const tables = names(m[1] ?? "").filter((t) => !ctx.created.has(t));
      if (tables.length === 0) return;
      for (const t of tables) ctx.touched.add(t);
      ctx.emit(
        "truncate",
        /cascade/i.test(m[2] ?? "") ? "CASCADE also empties every table with a foreign key to it" : undefined,
      );
      locks(ctx, stmt, `TRUNCATE ${tables.join(", ")}`);
    },
  ],
  [
    re(`^create (?:or replace )?function (${QNAME}) ?\\(`),
    (m, stmt, { state }) => {
      const declared = /\b(immutable|stable|volatile)\b/i.exec(stmt.shape)?.[1]?.toLowerCase();
      const volatility = (declared ?? "volatile") as Volatility;
      for (const key of declaredKeys(m[1] ?? "")) state.functions.set(key, volatility);
    },
  ],
  [
    re(`^create domain (${QNAME}) (?:as )?(.*)$`),
    (m, _stmt, { state, createdDomains }) => {
      const constrained = /\b(?:check|not null)\b/i.test(m[2] ?? "");
      for (const key of declaredKeys(m[1] ?? "")) {
        state.domains.set(key, constrained);
        createdDomains.add(key);
      }
    },
  ],
  [
    re(
      String.raw`^alter domain (${QNAME}) (add (?:constraint ${IDENT} )?check\b|set not null\b|validate constraint\b)(.*)$`,
    ),
    (m, stmt, ctx) => {
      const keys = declaredKeys(m[1] ?? "");
      const action = (m[2] ?? "").toLowerCase();
      if (!action.startsWith("validate")) for (const key of keys) ctx.state.domains.set(key, true);
      if (keys.some((k) => ctx.createdDomains.has(k))) return;
      if (action.startsWith("add") && /\bnot valid$/i.test(m[3] ?? "")) return;
      const what = action.startsWith("validate") ? "VALIDATE CONSTRAINT" : action.toUpperCase();
      ctx.emit(
        "domain-constraint",
        `ALTER DOMAIN … ${what} scans every column of the domain, holding a SHARE lock on each table`,
      );
      locks(ctx, stmt, `ALTER DOMAIN ${keys[0] ?? ""}`);
    },
  ],
  [
    re(`^(?:update (?:only )?|delete from (?:only )?)(${QNAME})`),
    (m, _stmt, ctx) => {
      if (!ctx.transactional || !ctx.lockedBy || ctx.created.has(identName(m[1] ?? ""))) return;
      ctx.emit("backfill-with-ddl", `${ctx.lockedBy} keeps its lock while this runs`);
    },
  ],
  [
    re(`^(cluster|vacuum (?:full\\b|\\([^)]*\\bfull\\b[^)]*\\)))(?: verbose)?(?: (${QNAME}))?`),
    (m, stmt, ctx) => {
      const table = identName(m[2] ?? "");
      if (m[2] && ctx.created.has(table)) return;
      const what = /^cluster/i.test(m[1] ?? "") ? "CLUSTER" : "VACUUM FULL";
      ctx.emit("table-rewrite", `${what} copies the table into new storage`);
      locks(ctx, stmt, `${what} ${table}`.trim());
    },
  ],
  [
    re(`^create (?:or replace )?(?:constraint )?trigger ${IDENT} .*? on (?:only )?(${QNAME})`),
    (m, stmt, ctx) => {
      const table = identName(m[1] ?? "");
      if (!ctx.created.has(table)) locks(ctx, stmt, `CREATE TRIGGER on ${table}`);
    },
  ],
  [
    re(`^lock (?:table )?(?:only )?(${QNAME})(.*)$`),
    (m, stmt, ctx) => {
      const weak = /\bin (?:access share|row share|row exclusive|share update exclusive) mode\b/i;
      if (!ctx.created.has(identName(m[1] ?? "")) && !weak.test(m[2] ?? "")) locks(ctx, stmt, "LOCK TABLE");
    },
  ],
];

export function checkOtherStatement(stmt: Statement, ctx: MigrationContext): void {
  for (const [pattern, handle] of STATEMENTS) {
    const m = pattern.exec(stmt.shape);
    if (m) {
      handle(m, stmt, ctx);
      return;
    }
  }
}
