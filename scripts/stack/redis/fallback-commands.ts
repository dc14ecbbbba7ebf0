// Pure rules the fallback adds around ioredis-mock: Redis's command table for errors, faithful RESP reply types.
import { createRequire } from "node:module";
import { RespError, RespStatus, type RespValue } from "./resp.ts";

interface CommandInfo {
  /** Redis's arity, counting the command name: N = exactly N, -N = at least N. */
  arity: number;
  flags: string[];
}

// Read with require: tsx turns a JSON import into a module whose `var eval = …` (a command name) cannot load.
const COMMANDS: Readonly<Record<string, CommandInfo | undefined>> = createRequire(import.meta.url)(
  "@ioredis/commands/built/commands.json",
);

// One ioredis-mock instance serves every connection, so per-connection state (transactions and WATCH, SELECT,
// subscriptions) is the session's or refused, and a blocking command would stall every connection.
const CONNECTION_STATE = new Set(
  "multi exec discard watch unwatch select swapdb monitor reset hello client quit".split(" "),
);

// Commands whose string reply is a simple string (`+OK`, `+PONG`, `+string`) rather than a bulk string.
const STATUS_REPLIES = new Set(
  [
    "set mset psetex setex rename type ping flushdb flushall restore pfmerge hmset lset ltrim save bgsave",
    "bgrewriteaof config auth readonly readwrite asking cluster xgroup xsetid slowlog debug",
  ]
    .join(" ")
    .split(" "),
);

/** Redis's own error text for a command it has never heard of. */
export function unknownCommand(args: readonly string[]): RespError {
  const rest = args
    .slice(1)
    .map((a) => `'${a}'`)
    .join(" ");
  return new RespError(`ERR unknown command '${args[0] ?? ""}', with args beginning with: ${rest}`);
}

export function notSupported(name: string): RespError {
  return new RespError(`ERR '${name.toUpperCase()}' is not supported by the in-process Redis fallback`);
}

/** The error Redis gives before running (or queueing) a command, or null when the command may run. */
export function checkCommand(args: readonly string[]): RespError | null {
  const name = (args[0] ?? "").toLowerCase();
  const info = COMMANDS[name];
  if (!info) return unknownCommand(args);
  const count = args.length;
  if ((info.arity > 0 && count !== info.arity) || (info.arity < 0 && count < -info.arity)) {
    return new RespError(`ERR wrong number of arguments for '${name}' command`);
  }
  if (CONNECTION_STATE.has(name) || info.flags.includes("pubsub") || info.flags.includes("blocking")) {
    return notSupported(name);
  }
  return null;
}

// ioredis-mock matches SET's options in upper case only, and @upstash/redis sends them in lower case ("px", "nx").
const SET_OPTIONS = new Set(["NX", "XX", "GET", "KEEPTTL", "EX", "PX", "EXAT", "PXAT"]);

/** Arguments as ioredis-mock understands them: SET's option words upper-cased (key and value untouched). */
export function normalizeArgs(args: readonly string[]): readonly string[] {
  if ((args[0] ?? "").toLowerCase() !== "set") return args;
  return args.map((arg, i) => (i >= 3 && SET_OPTIONS.has(arg.toUpperCase()) ? arg.toUpperCase() : arg));
}

/** Whether a string reply to `args` is a simple string: SET … GET and PING <message> answer bulk strings. */
export function repliesWithStatus(args: readonly string[]): boolean {
  const name = (args[0] ?? "").toLowerCase();
  if (name === "ping") return args.length === 1;
  if (name === "set") return !args.slice(3).some((a) => a.toUpperCase() === "GET");
  return STATUS_REPLIES.has(name);
}

/**
 * An ioredis-style reply as RESP: strings are bulk unless the command answers with a status, HGETALL's object is
 * a flat field/value array again, and Lua's numbers and booleans follow Redis's conversion (2.9 → 2, true → 1,
 * false → nil).
 */
export function toRespValue(value: unknown, status = false): RespValue {
  if (value === null || value === undefined || value === false) return null;
  if (value === true) return 1;
  // Redis turns a Lua number into an integer reply by truncation.
  if (typeof value === "number") {
    return Number.isFinite(value) ? Math.trunc(value) : new RespError("ERR value is not a number");
  }
  if (typeof value === "string") return status ? new RespStatus(value) : Buffer.from(value, "utf8");
  if (Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((item) => toRespValue(item));
  if (value instanceof Error) return toRespError(value);
  if (typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => [toRespValue(k), toRespValue(v)]);
  return new RespError(`ERR the in-process Redis fallback cannot encode a ${typeof value} reply`);
}

/** A thrown error as an error reply; Redis error replies start with a code word (ERR, WRONGTYPE, NOSCRIPT …). */
export function toRespError(error: unknown): RespError {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
  return new RespError(/^[A-Z]+ /.test(message) ? message : `ERR ${message}`);
}
