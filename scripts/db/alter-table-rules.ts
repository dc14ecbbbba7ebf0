// Rules for one ALTER TABLE action (`ADD COLUMN …`, `ALTER COLUMN … TYPE …`, …) on a named table.
import type { RuleId } from "./rule-catalog.ts";
import { IDENT, identName, re } from "./sql-names.ts";

/** What earlier statements established: tables that exist, and CHECK (col IS NOT NULL) constraints. */
export interface SchemaState {
  tables: Set<string>;
  /** key `table.constraint` → the column it proves NOT NULL and whether it has been validated. */
  notNullChecks: Map<string, { column: string; validated: boolean }>;
}

export interface ActionContext {
  table: string;
  /** False when the table was created earlier in the same migration: locking it then is harmless. */
  existing: boolean;
  state: SchemaState;
  emit: (rule: RuleId, message?: string) => void;
}

const VOLATILE = re(
  String.raw`\b(?:random|gen_random_uuid|gen_random_bytes|uuid_generate_v[14]\w*|uuidv[47]|clock_timestamp|timeofday|nextval)\s*\(`,
);
const NOT_NULL_CHECK = re(String.raw`^check ?\( ?\(? ?(?:${IDENT} ?\. ?)?(${IDENT}) is not null ?\)? ?\)`);

type Handler = (m: RegExpExecArray, action: string, ctx: ActionContext) => void;

// First match wins, so the constraint forms come before the bare `ADD <column>` / `DROP <column>` forms.
const ACTIONS: [RegExp, Handler][] = [
  [
    re(String.raw`^add (?:constraint (${IDENT}) )?(foreign key|check|unique|primary key|exclude)\b(.*)$`),
    (m, action, { table, existing, state, emit }) => {
      const kind = (m[2] ?? "").toLowerCase();
      const notValid = /\bnot valid$/i.test(action);
      if (existing && (kind === "foreign key" || kind === "check") && !notValid) emit("constraint-not-valid");
      if (existing && ["unique", "primary key", "exclude"].includes(kind) && !/\busing index\b/i.test(action))
        emit("index-not-concurrent", `ADD ${kind.toUpperCase()} builds its index under ACCESS EXCLUSIVE`);
      const col = NOT_NULL_CHECK.exec(`${kind}${m[3] ?? ""}`);
      if (m[1] && col?.[1])
        state.notNullChecks.set(`${table}.${identName(m[1])}`, {
          column: identName(col[1]),
          validated: !notValid,
        });
    },
  ],
  [
    re(`^add (?:column )?(?:if not exists )?${IDENT} (.*)$`),
    (m, _action, { existing, emit }) => {
      const def = (m[1] ?? "").toLowerCase();
      if (!existing) return;
      if (/\bnot null\b/.test(def) && !/\bdefault\b/.test(def)) emit("add-column-not-null");
      if ((/\bdefault\b/.test(def) && VOLATILE.test(def)) || /^(?:small|big)?serial\b/.test(def))
        emit("volatile-default");
    },
  ],
  [
    re(`^validate constraint (${IDENT})`),
    (m, _action, { table, state }) => {
      const check = state.notNullChecks.get(`${table}.${identName(m[1] ?? "")}`);
      if (check) check.validated = true;
    },
  ],
  [
    re(`^drop constraint (?:if exists )?(${IDENT})`),
    (m, _action, { table, state }) => void state.notNullChecks.delete(`${table}.${identName(m[1] ?? "")}`),
  ],
  [
    re(String.raw`^alter (?:column )?${IDENT} (?:set data )?type\b`),
    (_m, _action, { existing, emit }) => existing && emit("alter-column-type"),
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
    re(`^rename (?:(?:column )?${IDENT} )?to (${IDENT})$`),
    (m, action, { existing, state, emit }) => {
      if (existing) emit("rename");
      if (/^rename to\b/i.test(action)) state.tables.add(identName(m[1] ?? ""));
    },
  ],
  [
    re(`^drop (?:column )?(?:if exists )?${IDENT}`),
    (_m, _action, { existing, emit }) => existing && emit("drop-column"),
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
