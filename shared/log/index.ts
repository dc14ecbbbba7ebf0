// The one logger: a JSON line per event with the same fields in every Worker, and never a secret in a line.
//
// Fields: level, msg, worker (set once by each Worker's entry), and whatever the caller adds; per request a child
// logger carries requestId, route, status and ms. Values under names that can hold credentials are redacted.
export type Level = "debug" | "info" | "warn" | "error";
export type Fields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger whose lines all carry `fields` too (e.g. the request id). */
  with(fields: Fields): Logger;
}

export type Sink = (level: Level, line: string) => void;

// Names whose values are credentials or identify a session: never written, whatever the caller passes.
const SECRET =
  /^(authorization|cookie|set-cookie|password|passwd|secret|token|session|sessionid|session_id|sid|code|otp|api_?key)$|secret$|token$|password$/i;
const REDACTED = "[redacted]";

const consoleSink: Sink = (level, line) => {
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
};

let root: Fields = {};
let sink: Sink = consoleSink;

/** Called once by a Worker's entry (`{ worker: "edge" }`); isolates are per Worker, so this is per Worker. */
export function setLogContext(fields: Fields): void {
  root = { ...fields };
}

/** Tests capture lines here; returns the function that restores the console. */
export function setLogSink(next: Sink): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

/** An error as log fields: its kind and message, and the first lines of its stack. */
export function errorFields(error: unknown): { errorType: string; error: string; stack?: string } {
  if (error instanceof Error) {
    const stack = error.stack?.split("\n").slice(1, 6).join("\n");
    return { errorType: error.name, error: error.message, ...(stack ? { stack } : {}) };
  }
  return { errorType: typeof error, error: String(error) };
}

function clean(fields: Fields, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (SECRET.test(k)) out[k] = REDACTED;
    else if (v instanceof Error) Object.assign(out, errorFields(v));
    else if (v && typeof v === "object" && !Array.isArray(v) && depth < 3)
      out[k] = clean(v as Fields, depth + 1);
    else out[k] = v;
  }
  return out;
}

function make(bound: Fields): Logger {
  const write = (level: Level, msg: string, fields?: Fields) => {
    let line: string;
    try {
      line = JSON.stringify({
        level,
        msg,
        ...clean(root),
        ...clean(bound),
        ...(fields ? clean(fields) : {}),
      });
    } catch {
      line = JSON.stringify({ level, msg, ...clean(root), note: "fields could not be serialised" });
    }
    sink(level, line);
  };
  return {
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    with: (fields) => make({ ...bound, ...fields }),
  };
}

/** The Worker-wide logger; `log.with({ requestId })` for a request's lines. */
export const log: Logger = make({});
