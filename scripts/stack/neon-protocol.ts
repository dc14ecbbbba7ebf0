// Pure parts of Neon's wire protocols: target addresses, /sql request parsing, reply and error shapes.

export type Target = { host: string; port: number };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/** The proxy only reaches this machine's own Postgres: it must never become an open relay. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** `host:port` from the driver's `/v2?address=...` (IPv6 hosts come bracketed). */
export function parseAddress(address: string | null): Target | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address ?? "");
  const host = m?.[1];
  const port = Number(m?.[2]);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535 || !isLoopback(host)) return undefined;
  return { host, port };
}

export class ProtocolError extends Error {}

/** Drops TLS settings (the local server has no TLS) and checks the target is loopback. */
export function localConnectionString(raw: string | undefined): string {
  if (!raw) throw new ProtocolError("missing Neon-Connection-String header");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProtocolError("Neon-Connection-String is not a valid URL");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ProtocolError("Neon-Connection-String must be a postgres:// URL");
  }
  if (!isLoopback(url.hostname)) throw new ProtocolError(`refusing non-loopback host ${url.hostname}`);
  for (const p of ["sslmode", "ssl", "sslrootcert", "channel_binding"]) url.searchParams.delete(p);
  return url.toString();
}

export type SqlQuery = { query: string; params: unknown[] };
export type SqlRequest = { single: SqlQuery } | { batch: SqlQuery[] };

function toQuery(value: unknown): SqlQuery {
  if (typeof value !== "object" || value === null) throw new ProtocolError("query must be an object");
  const { query, params } = value as { query?: unknown; params?: unknown };
  if (typeof query !== "string") throw new ProtocolError("query must be a string");
  if (params !== undefined && !Array.isArray(params)) throw new ProtocolError("params must be an array");
  return { query, params: params ?? [] };
}

/** Body is `{query, params}` or `{queries: [{query, params}, ...]}`. */
export function parseSqlBody(text: string): SqlRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProtocolError("body is not JSON");
  }
  const queries = (body as { queries?: unknown } | null)?.queries;
  if (queries === undefined) return { single: toQuery(body) };
  if (!Array.isArray(queries)) throw new ProtocolError("queries must be an array");
  return { batch: queries.map(toQuery) };
}

const ISOLATION: Record<string, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};

/** BEGIN for a batch, from the Neon-Batch-* headers (values as the driver sends them). */
export function beginStatement(h: { isolation?: string; readOnly?: string; deferrable?: string }): string {
  const parts = ["BEGIN"];
  if (h.isolation !== undefined) {
    const level = ISOLATION[h.isolation];
    if (!level) throw new ProtocolError(`unknown Neon-Batch-Isolation-Level ${h.isolation}`);
    parts.push("ISOLATION LEVEL", level);
  }
  if (h.readOnly !== undefined) parts.push(h.readOnly === "true" ? "READ ONLY" : "READ WRITE");
  if (h.deferrable !== undefined) parts.push(h.deferrable === "true" ? "DEFERRABLE" : "NOT DEFERRABLE");
  return parts.join(" ");
}

export type Field = {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
  format: string;
};
type PgResult = { command: string; rowCount: number | null; rows: unknown[][]; fields: Field[] };

/** One result as Neon sends it: rows are arrays of text unless array mode is off. */
export function resultJson(r: PgResult, arrayMode: boolean) {
  const fields = r.fields.map((f) => ({
    name: f.name,
    dataTypeID: f.dataTypeID,
    tableID: f.tableID,
    columnID: f.columnID,
    dataTypeSize: f.dataTypeSize,
    dataTypeModifier: f.dataTypeModifier,
    format: f.format,
  }));
  const rows = arrayMode
    ? r.rows
    : r.rows.map((row) => Object.fromEntries(fields.map((f, i) => [f.name, row[i]])));
  return { command: r.command, rowCount: r.rowCount, rows, fields, rowAsArray: arrayMode };
}

const ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;

/** The HTTP 400 body the driver turns into a NeonDbError (it copies exactly these keys). */
export function errorJson(err: unknown): Record<string, unknown> {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as Record<
    string,
    unknown
  >;
  const out: Record<string, unknown> = { message: typeof e.message === "string" ? e.message : String(err) };
  for (const k of ERROR_FIELDS) if (e[k] !== undefined) out[k] = e[k];
  return out;
}
