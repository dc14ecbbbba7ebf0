// Rules for `ALTER TABLE … ADD COLUMN` on an existing table: what makes PostgreSQL rewrite, scan or fail.
import { constrainedDomain, volatileCall } from "./catalog.ts";
import { typeOfDefinition } from "./column-types.ts";
import type { ActionContext } from "./rule-context.ts";

const SERIAL = /^(?:(?:small|big)serial|serial[248]?)\b/i;
const IDENTITY = /\bgenerated (?:always|by default) as identity\b/i;
const STORED = /\bgenerated always as ?\(.*\) ?stored\b/i;
const INLINE_INDEX = /\b(unique|primary key)\b/i;
const INLINE_CHECK = /\bcheck ?\(/i;
const REFERENCES = /\breferences\b/i;
// Column constraints that end a DEFAULT expression when they appear outside parentheses.
const AFTER_DEFAULT =
  /^ (?:not null|null|check|references|unique|primary key|generated|constraint|collate)\b/i;

/** The DEFAULT expression of a column definition, up to the next column constraint; undefined if none. */
export function defaultExpression(def: string): string | undefined {
  const start = /\bdefault\b ?/i.exec(def);
  if (!start) return undefined;
  const from = start.index + start[0].length;
  let depth = 0;
  // The expression has at least one character, so `DEFAULT NULL` keeps its NULL.
  for (let i = from; i < def.length; i++) {
    if (def[i] === "(") depth++;
    else if (def[i] === ")") depth--;
    else if (i > from && depth === 0 && AFTER_DEFAULT.test(def.slice(i))) return def.slice(from, i).trim();
  }
  return def.slice(from).trim();
}

/** `column` is the new column's name, `def` the rest of its definition (type and constraints). */
export function checkAddColumn(column: string, def: string, ctx: ActionContext): void {
  const { table, existing, state, catalog, emit } = ctx;
  const type = typeOfDefinition(def);
  state.columns.set(`${table}.${column}`, type);
  if (!existing) return;
  const expr = defaultExpression(def);
  const numbered = IDENTITY.test(def) || SERIAL.test(def);
  if (IDENTITY.test(def))
    emit(
      "volatile-default",
      "an identity column numbers every existing row from its sequence: the table is rewritten",
    );
  else if (SERIAL.test(def))
    emit(
      "volatile-default",
      "a serial column numbers every existing row with nextval(): the table is rewritten",
    );
  if (STORED.test(def)) emit("generated-stored");
  const volatile = expr === undefined ? undefined : volatileCall(expr, state, catalog);
  if (volatile)
    emit(
      "volatile-default",
      `${volatile.name}() is volatile (per ${volatile.source}), so every row gets its own value: the table is rewritten`,
    );
  const domain = constrainedDomain(type, state, catalog);
  if (domain)
    emit(
      "domain-constraint",
      `${domain.name} is a domain with constraints (per ${domain.source}): adding a column of it rewrites the table`,
    );
  if (/\bnot null\b/i.test(def) && expr === undefined && !numbered && !/\bgenerated always as ?\(/i.test(def))
    emit("add-column-not-null");
  const index = INLINE_INDEX.exec(def);
  if (index)
    emit(
      "index-not-concurrent",
      `ADD COLUMN … ${index[1]?.toUpperCase()} builds its index under ACCESS EXCLUSIVE`,
    );
  if (INLINE_CHECK.test(def))
    emit("constraint-not-valid", "an inline CHECK is validated against every row under ACCESS EXCLUSIVE");
  if (REFERENCES.test(def) && expr !== undefined && !/^null$/i.test(expr))
    emit(
      "constraint-not-valid",
      "with a DEFAULT every existing row references the other table, so the foreign key is validated by a full scan",
    );
}
