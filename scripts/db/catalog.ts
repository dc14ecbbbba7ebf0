// Facts the rules need about functions, domains and column types: from a database's catalog when one is
// reachable, from earlier migrations, and from a built-in list as the last resort.
import { IDENT, identName, QNAME } from "./sql-names.ts";

export type Volatility = "immutable" | "stable" | "volatile";

export interface Catalog {
  /** Where the facts come from, for messages (a redacted URL). */
  source: string;
  /** Function → its most volatile overload; keyed `name` (visible on the search_path) and `schema.name`. */
  functions: Map<string, Volatility>;
  /** Domain → whether it has a CHECK or NOT NULL constraint; keyed like functions. */
  domains: Map<string, boolean>;
  /** `table.column` → its type as format_type() prints it, for tables visible on the search_path. */
  columns: Map<string, string>;
}

/** What earlier migrations declared: the same facts, learnt from CREATE FUNCTION / CREATE DOMAIN / columns. */
export interface Declared {
  functions: Map<string, Volatility>;
  domains: Map<string, boolean>;
  columns: Map<string, string>;
}

// Offline fallback: the volatile built-ins people put in defaults (pg_proc knows them all).
const FALLBACK_VOLATILE = new Set([
  "random",
  "random_normal",
  "gen_random_uuid",
  "gen_random_bytes",
  "uuid_generate_v1",
  "uuid_generate_v1mc",
  "uuid_generate_v4",
  "uuidv4",
  "uuidv7",
  "clock_timestamp",
  "timeofday",
  "nextval",
  "currval",
  "lastval",
]);

const CALL = new RegExp(`(${QNAME}) ?\\(`, "gi");

/** `schema.name` and bare `name` keys for a possibly qualified name, most specific first. */
export function nameKeys(raw: string): string[] {
  const parts = raw.match(new RegExp(IDENT, "gi")) ?? [raw];
  const name = identName(parts[parts.length - 1] ?? raw);
  return parts.length > 1 ? [`${identName(parts[0] ?? "")}.${name}`] : [name];
}

/** Names called in an expression (its shape: strings already masked), as written. */
export function callsIn(expr: string): string[] {
  return [...expr.matchAll(CALL)].map((m) => m[1] ?? "").filter(Boolean);
}

export interface Decision {
  name: string;
  /** Which source decided, for the finding's message. */
  source: string;
}

/** How volatile one function is, and who says so; undefined when nobody knows it. */
function volatilityOf(raw: string, declared: Declared, catalog?: Catalog): [Volatility, string] | undefined {
  const keys = nameKeys(raw);
  const fromMigrations = keys.map((k) => declared.functions.get(k)).find(Boolean);
  if (fromMigrations)
    return [fromMigrations, "its CREATE FUNCTION in a migration (VOLATILE unless declared otherwise)"];
  const fromCatalog = keys.map((k) => catalog?.functions.get(k)).find(Boolean);
  if (fromCatalog && catalog) return [fromCatalog, `pg_proc.provolatile in ${catalog.source}`];
  if (!FALLBACK_VOLATILE.has((keys[0] ?? raw).replace(/^.*\./, ""))) return undefined;
  return [
    "volatile",
    catalog
      ? "the built-in list (not found in the database)"
      : "the built-in list (no database to ask: set DIRECT_DATABASE_URL to use pg_proc)",
  ];
}

/** The first volatile function the expression calls, and who said it is volatile; undefined if none. */
export function volatileCall(expr: string, declared: Declared, catalog?: Catalog): Decision | undefined {
  for (const raw of callsIn(expr)) {
    const found = volatilityOf(raw, declared, catalog);
    if (found?.[0] === "volatile") return { name: nameKeys(raw)[0] ?? raw, source: found[1] };
  }
  return undefined;
}

/** Whether a type name is a domain with constraints, and who said so. */
export function constrainedDomain(type: string, declared: Declared, catalog?: Catalog): Decision | undefined {
  const keys = nameKeys(type);
  const name = keys[0] ?? type;
  const fromMigrations = keys.map((k) => declared.domains.get(k)).find((v) => v !== undefined);
  if (fromMigrations !== undefined)
    return fromMigrations ? { name, source: "its CREATE/ALTER DOMAIN in a migration" } : undefined;
  const fromCatalog = keys.map((k) => catalog?.domains.get(k)).find((v) => v !== undefined);
  return fromCatalog && catalog ? { name, source: `pg_constraint in ${catalog.source}` } : undefined;
}

/** The declared type of `table.column`: from the migrations first, then the catalog. */
export function columnType(key: string, declared: Declared, catalog?: Catalog): string | undefined {
  return declared.columns.get(key) ?? catalog?.columns.get(key);
}

/** Every identifier in the migrations: the names a catalog lookup has to cover (cheap over-approximation). */
export function catalogNames(shapes: string[]): string[] {
  const names = new Set<string>();
  for (const shape of shapes)
    for (const m of shape.matchAll(new RegExp(IDENT, "gi"))) names.add(identName(m[0]));
  return [...names];
}
