// Rules for one ALTER TABLE action (`ADD COLUMN …`, `ALTER COLUMN … TYPE …`, …) on a named table.
import { checkAddColumn } from "./add-column-rules.ts";
import { columnType } from "./catalog.ts";
import { isCatalogOnlyTypeChange, normaliseType } from "./column-types.ts";
import type { ActionContext } from "./rule-context.ts";
import { IDENT, identName, QNAME, re } from "./sql-names.ts";

export type { ActionContext, SchemaState } from "./rule-context.ts";

const NOT_NULL_CHECK = re(String.raw`^check ?\( ?\(? ?(?:${IDENT} ?\. ?)?(${IDENT}) is not null ?\)? ?\)`);
const NOT_NULL_CONSTRAINT = re(`^not null (${IDENT})`);

type Handler = (m: RegExpExecArray, action: string, ctx: ActionContext) => void;

// First match wins, so the constraint forms come before the bare `ADD <column>` / `DROP <column>` forms.
const ACTIONS: [RegExp, Handler][] = [
  [
    re(
      String.raw`^add (?:constraint (${IDENT}) )?(foreign key|check|unique|primary key|exclude|not null)\b(.*)$`,
    ),
    (m, action, { table, existing, state, notValid, emit }) => {
      const kind = (m[2] ?? "").toLowerCase();
      const isNotValid = /\bnot valid$/i.test(action);
      const validated = ["foreign key", "check", "not null"].includes(kind);
      if (existing && validated && !isNotValid) emit("constraint-not-valid");
      if (existing && ["unique", "primary key", "exclude"].includes(kind) && !/\busing index\b/i.test(action))
        emit("index-not-concurrent", `ADD ${kind.toUpperCase()} builds its index under ACCESS EXCLUSIVE`);
      const name = m[1] ? `${table}.${identName(m[1])}` : undefined;
      if (name && existing && isNotValid) notValid.add(name);
      const col = (NOT_NULL_CHECK.exec(`${kind}${m[3] ?? ""}`) ??
        NOT_NULL_CONSTRAINT.exec(`${kind}${m[3] ?? ""}`))?.[1];
      if (name && col) state.notNullChecks.set(name, { column: identName(col), validated: !isNotValid });
    },
  ],
  [
    re(`^add (?:column )?(?:if not exists )?(${IDENT}) (.*)$`),
    (m, _action, ctx) => checkAddColumn(identName(m[1] ?? ""), m[2] ?? "", ctx),
  ],
  [
    re(`^validate constraint (${IDENT})`),
    (m, _action, { table, state, notValid, transactional, emit }) => {
      const name = `${table}.${identName(m[1] ?? "")}`;
      if (notValid.has(name) && transactional) emit("validate-same-migration");
      const check = state.notNullChecks.get(name);
      if (check) check.validated = true;
    },
  ],
  [
    re(`^drop constraint (?:if exists )?(${IDENT})`),
    (m, _action, { table, state }) => void state.notNullChecks.delete(`${table}.${identName(m[1] ?? "")}`),
  ],
  [
    re(`^alter (?:column )?(${IDENT}) (?:set data )?type (.*)$`),
    (m, _action, { table, existing, state, catalog, emit }) => {
      const key = `${table}.${identName(m[1] ?? "")}`;
      const to = m[2] ?? "";
      const from = columnType(key, state, catalog);
      const catalogOnly = from !== undefined && !/\busing\b/i.test(to) && isCatalogOnlyTypeChange(from, to);
      state.columns.set(key, normaliseType(to.replace(/ (?:using|collate)\b.*$/i, "")));
      if (existing && !catalogOnly) emit("alter-column-type", from ? `${from} → ${to}` : undefined);
    },
  ],
  [
    re(String.raw`^alter (?:column )?(${IDENT}) set not null\b`),
    (m, _action, { table, existing, state, emit }) => {
      const column = identName(m[1] ?? "");
      const proven = [...state.notNullChecks].some(
        ([key, c]) => key.startsWith(`${table}.`) && c.column === column && c.validated,
      );
      if (existing && !proven)
        emit("set-not-null", `no validated CHECK (${column} IS NOT NULL) on ${table} before it`);
    },
  ],
  // Constraint names are not referenced by application code.
  [re(String.raw`^rename constraint\b`), () => {}],
  [
    re(`^rename (?:(?:column )?(${IDENT}) )?to (${IDENT})$`),
    (m, action, { table, existing, state, emit }) => {
      if (existing) emit("rename");
      const to = identName(m[2] ?? "");
      if (/^rename to\b/i.test(action)) state.tables.add(to);
      else if (m[1]) {
        const type = state.columns.get(`${table}.${identName(m[1])}`);
        state.columns.delete(`${table}.${identName(m[1])}`);
        if (type) state.columns.set(`${table}.${to}`, type);
      }
    },
  ],
  [
    re(`^drop (?:column )?(?:if exists )?(${IDENT})`),
    (m, _action, { table, existing, state, emit }) => {
      state.columns.delete(`${table}.${identName(m[1] ?? "")}`);
      if (existing) emit("drop-column");
    },
  ],
  [
    re(`^detach partition ${QNAME}(?: (concurrently|finalize))?$`),
    (m, _action, { existing, emit }) => existing && !m[1] && emit("detach-partition-not-concurrent"),
  ],
  [
    re(`^set (logged|unlogged)$`),
    (m, _action, { existing, emit }) =>
      existing &&
      emit("table-rewrite", `SET ${(m[1] ?? "").toUpperCase()} copies the table into new storage`),
  ],
];

export function checkAlterAction(action: string, ctx: ActionContext): void {
  for (const [pattern, handle] of ACTIONS) {
    const m = pattern.exec(action);
    if (m) {
      handle(m, action, ctx);
      return;
    }
  }
}
