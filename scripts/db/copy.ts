// Copies one database into another, table by table (`npm run db:copy -- --from <url> --to <url> [--create]`):
// the target gets the project's migrations, then every row as Postgres wrote it, then the sequences; both are
// counted at the end. For moving to a new server or region and for restore drills (docs/runbooks/).
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { redactUrl } from "./database-url.ts";
import { migrate } from "./migrate.ts";

export interface CopyResult {
  tables: { table: string; rows: number }[];
  sequences: number;
  ms: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (schema: string, name: string) => `${quote(schema)}.${quote(name)}`;
// User data only: the migrations journal is written by migrate(), system schemas are not ours.
const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'drizzle') AND n.nspname NOT LIKE 'pg_toast%'`;

/** Every value as Postgres' own text form, so nothing is reinterpreted in JavaScript on the way. */
const asText = { getTypeParser: () => (value: string) => value };

async function connect(url: string, text = false): Promise<pg.Client> {
  const client = new pg.Client(text ? { connectionString: url, types: asText } : { connectionString: url });
  await client.connect();
  client.on("error", () => {});
  return client;
}

/** Creates the target database when it does not exist (on the same server, through its `postgres` database). */
async function createDatabase(url: string, log: (l: string) => void): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = await connect(admin.toString());
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${quote(name)}`);
      log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

/** Tables in foreign-key order: a table after every table it references. */
async function tablesInOrder(client: pg.Client): Promise<{ schema: string; name: string }[]> {
  const { rows: tables } = await client.query<{ schema: string; name: string; oid: number }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.oid::int AS oid FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${USER_SCHEMAS} ORDER BY 1, 2`,
  );
  const { rows: refs } = await client.query<{ child: number; parent: number }>(
    "SELECT conrelid::int AS child, confrelid::int AS parent FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid",
  );
  const placed: typeof tables = [];
  let left = [...tables];
  while (left.length > 0) {
    const ready = left.filter((t) =>
      refs.every((r) => r.child !== t.oid || placed.some((p) => p.oid === r.parent)),
    );
    // A cycle of foreign keys: copy the rest as they come (a constraint would then have to be deferrable).
    const next = ready.length > 0 ? ready : left;
    placed.push(...next);
    left = left.filter((t) => !next.includes(t));
  }
  return placed.map(({ schema, name }) => ({ schema, name }));
}

async function copyTable(
  source: pg.Client,
  target: pg.Client,
  schema: string,
  name: string,
): Promise<number> {
  const { rows: cols } = await source.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [qualified(schema, name)],
  );
  const list = cols.map((c) => quote(c.name)).join(", ");
  // One statement carries at most 65535 parameters.
  const batch = Math.max(1, Math.floor(60_000 / Math.max(1, cols.length)));
  await source.query(`DECLARE copy_rows NO SCROLL CURSOR FOR SELECT ${list} FROM ${qualified(schema, name)}`);
  let total = 0;
  for (;;) {
    const { rows } = await source.query<Record<string, string | null>>(`FETCH ${batch} FROM copy_rows`);
    if (rows.length === 0) break;
    const values: (string | null)[] = [];
    const tuples = rows.map((row) => {
      const marks = cols.map((c) => {
        values.push(row[c.name] ?? null);
        return `$${values.length}`;
      });
      return `(${marks.join(", ")})`;
    });
    await target.query(
      `INSERT INTO ${qualified(schema, name)} (${list}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(", ")}`,
      values,
    );
    total += rows.length;
  }
  await source.query("CLOSE copy_rows");
  return total;
}

export async function copyDatabase(
  from: string,
  to: string,
  opts: { create?: boolean; log?: (line: string) => void } = {},
): Promise<CopyResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const started = performance.now();
  if (opts.create) await createDatabase(to, log);
  await migrate(to, { log: (l) => log(`migrate: ${l}`) });
  const source = await connect(from, true);
  const target = await connect(to);
  try {
    // One snapshot of the source for every table and sequence, however long the copy takes.
    await source.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const tables = await tablesInOrder(source);
    for (const t of tables) {
      const { rows } = await target.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${qualified(t.schema, t.name)}`,
      );
      if (Number(rows[0]?.n) > 0) {
        throw new Error(
          `${redactUrl(to)} already has rows in ${t.schema}.${t.name}: copy into an empty database`,
        );
      }
    }
    await target.query("BEGIN");
    const copied: CopyResult["tables"] = [];
    for (const t of tables) {
      const rows = await copyTable(source, target, t.schema, t.name);
      copied.push({ table: `${t.schema}.${t.name}`, rows });
    }
    const { rows: seqs } = await source.query<{ seq: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS seq FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND ${USER_SCHEMAS}`,
    );
    for (const { seq } of seqs) {
      const { rows } = await source.query<{ last_value: string; is_called: string }>(
        `SELECT last_value, is_called FROM ${seq}`,
      );
      const state = rows[0];
      if (state)
        await target.query("SELECT setval($1, $2, $3)", [seq, state.last_value, state.is_called === "t"]);
    }
    await target.query("COMMIT");
    for (const c of copied) {
      const { rows } = await target.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${c.table.split(".").map(quote).join(".")}`,
      );
      if (Number(rows[0]?.n) !== c.rows)
        throw new Error(`${c.table}: copied ${c.rows} rows but the target counts ${rows[0]?.n}`);
    }
    await source.query("COMMIT");
    return { tables: copied, sequences: seqs.length, ms: Math.round(performance.now() - started) };
  } catch (e) {
    await target.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await source.end().catch(() => {});
    await target.end().catch(() => {});
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      to: { type: "string" },
      create: { type: "boolean", default: false },
    },
  });
  if (!values.from || !values.to) {
    throw new Error("usage: npm run db:copy -- --from <postgres url> --to <postgres url> [--create]");
  }
  console.log(`copying ${redactUrl(values.from)} → ${redactUrl(values.to)}`);
  const result = await copyDatabase(values.from, values.to, { create: values.create });
  for (const t of result.tables) console.log(`  ${t.table.padEnd(32)} ${String(t.rows).padStart(8)} rows`);
  console.log(
    `copied ${result.tables.length} tables and ${result.sequences} sequences in ${result.ms} ms; row counts match`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e: unknown) => {
    console.error(`db:copy failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
