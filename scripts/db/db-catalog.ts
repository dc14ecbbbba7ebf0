// Reads what the migration rules need from a live database's catalog: function volatility, domains, column types.
import pg from "pg";
import { type Catalog, catalogNames, type Volatility } from "./catalog.ts";
import { redactUrl } from "./database-url.ts";
import { splitStatements } from "./sql-split.ts";

const VOLATILITY: Record<string, Volatility> = { i: "immutable", s: "stable", v: "volatile" };
const RANK: Volatility[] = ["immutable", "stable", "volatile"];

/** Keyed `schema.name`, and bare `name` when the search_path finds it; keeps the "largest" value per key. */
function byName<T>(
  rows: { schema: string; name: string; visible: boolean; value: T }[],
  max: (a: T, b: T) => T,
) {
  const out = new Map<string, T>();
  const put = (key: string, value: T) => {
    const had = out.get(key);
    out.set(key, had === undefined ? value : max(had, value));
  };
  for (const r of rows) {
    put(`${r.schema}.${r.name}`, r.value);
    if (r.visible) put(r.name, r.value);
  }
  return out;
}

/** Looks up only the names that occur in the migrations (`sqls`); `source` names the database in messages. */
export async function loadCatalog(client: pg.ClientBase, sqls: string[], source: string): Promise<Catalog> {
  const names = catalogNames(sqls.flatMap((sql) => splitStatements(sql).map((s) => s.shape)));
  const functions = await client.query<{ schema: string; name: string; visible: boolean; v: string }>(
    `SELECT n.nspname AS schema, p.proname AS name, pg_function_is_visible(p.oid) AS visible, p.provolatile AS v
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = ANY($1)`,
    [names],
  );
  const domains = await client.query<{
    schema: string;
    name: string;
    visible: boolean;
    constrained: boolean;
  }>(
    `SELECT n.nspname AS schema, t.typname AS name, pg_type_is_visible(t.oid) AS visible,
            t.typnotnull OR EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contypid = t.oid) AS constrained
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'd' AND t.typname = ANY($1)`,
    [names],
  );
  const columns = await client.query<{ key: string; type: string }>(
    `SELECT c.relname || '.' || a.attname AS key, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relname = ANY($1) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        AND pg_table_is_visible(c.oid)`,
    [names],
  );
  return {
    source,
    functions: byName(
      functions.rows.map((r) => ({ ...r, value: VOLATILITY[r.v] ?? "volatile" })),
      (a, b) => (RANK.indexOf(a) >= RANK.indexOf(b) ? a : b),
    ),
    domains: byName(
      domains.rows.map((r) => ({ ...r, value: r.constrained })),
      (a, b) => a || b,
    ),
    columns: new Map(columns.rows.map((r) => [r.key, r.type])),
  };
}

/** Connects, loads, disconnects; throws when the database cannot be reached within a few seconds. */
export async function catalogFromUrl(url: string, sqls: string[]): Promise<Catalog> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await loadCatalog(client, sqls, redactUrl(url));
  } finally {
    await client.end().catch(() => {});
  }
}
