// Upstash REST protocol as pure functions: request body/path → Redis commands, RESP replies → JSON results.
import { RespError, RespStatus, type RespValue } from "./resp.ts";

export type UpstashRequest =
  | { kind: "single"; command: string[] }
  | { kind: "pipeline" | "multi"; commands: string[][] }
  | { kind: "invalid"; error: string };

export type UpstashEntry = { result: unknown } | { error: string };

// These would block or re-shape the proxy's one shared connection for every other caller.
const CONNECTION_COMMANDS = new Set(
  "SUBSCRIBE PSUBSCRIBE SSUBSCRIBE MONITOR BLPOP BRPOP BRPOPLPUSH BLMOVE BLMPOP BZPOPMIN BZPOPMAX BZMPOP WAIT MULTI EXEC DISCARD WATCH UNWATCH SELECT AUTH QUIT RESET HELLO CLIENT".split(
    " ",
  ),
);

function toCommand(raw: unknown): string[] | string {
  if (!Array.isArray(raw) || raw.length === 0) return "ERR a command must be a non-empty JSON array";
  const args: string[] = [];
  for (const arg of raw) {
    if (typeof arg === "string") args.push(arg);
    else if (typeof arg === "number" || typeof arg === "boolean") args.push(String(arg));
    else return "ERR command arguments must be strings, numbers or booleans";
  }
  const name = (args[0] ?? "").toUpperCase();
  if (CONNECTION_COMMANDS.has(name)) {
    return `ERR '${name}' is not supported by this REST proxy (it would block or change the shared connection)`;
  }
  return args;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** `pathname` as received; path form `/set/k/v` (a non-empty POST body is the last argument, as Upstash does). */
export function parseUpstashRequest(method: string, pathname: string, body: string): UpstashRequest {
  const route = pathname.replace(/\/+$/, "");
  if (route === "/pipeline" || route === "/multi-exec") {
    const parsed = method === "POST" ? parseJson(body) : undefined;
    if (!Array.isArray(parsed) || parsed.length === 0) {
      return { kind: "invalid", error: "ERR body must be a non-empty JSON array of commands" };
    }
    const commands: string[][] = [];
    for (const raw of parsed) {
      const command = toCommand(raw);
      if (typeof command === "string") return { kind: "invalid", error: command };
      commands.push(command);
    }
    return { kind: route === "/pipeline" ? "pipeline" : "multi", commands };
  }
  let raw: unknown;
  if (route === "") {
    raw = method === "POST" ? parseJson(body) : undefined;
  } else {
    const segments = route.slice(1).split("/").map(decodeURIComponent);
    raw = method === "POST" && body !== "" ? [...segments, body] : segments;
  }
  const command = toCommand(raw);
  return typeof command === "string" ? { kind: "invalid", error: command } : { kind: "single", command };
}

const b64 = (bytes: Buffer | string): string => Buffer.from(bytes).toString("base64");

/**
 * JSON for a non-error reply. With base64 on, every string is encoded except the status "OK", which is what
 * @upstash/redis's decoder expects (it decodes any other string, so even "PONG" must be encoded).
 */
export function toUpstashResult(value: RespValue, base64: boolean): unknown {
  if (value === null || typeof value === "number") return value;
  if (value instanceof RespStatus) return base64 && value.value !== "OK" ? b64(value.value) : value.value;
  if (value instanceof RespError) return value.message;
  if (Buffer.isBuffer(value)) return base64 ? b64(value) : value.toString("utf8");
  return value.map((item) => toUpstashResult(item, base64));
}

export function toUpstashEntry(value: RespValue, base64: boolean): UpstashEntry {
  return value instanceof RespError ? { error: value.message } : { result: toUpstashResult(value, base64) };
}

/** EXEC's reply → per-command entries, or one error for the whole transaction (EXECABORT / aborted). */
export function multiExecEntries(execReply: RespValue, base64: boolean): UpstashEntry[] | { error: string } {
  if (execReply instanceof RespError) return { error: execReply.message };
  if (!Array.isArray(execReply)) return { error: "ERR transaction aborted" };
  return execReply.map((item) => toUpstashEntry(item, base64));
}
