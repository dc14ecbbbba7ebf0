// Keyspace of the in-process Redis emulation: typed entries with lazy expiry and Redis's error texts.
import { RespError } from "./resp.ts";

export type Entry =
  | { type: "string"; value: string; expiresAt: number | null }
  | { type: "hash"; value: Map<string, string>; expiresAt: number | null }
  | { type: "set"; value: Set<string>; expiresAt: number | null };

export const WRONGTYPE = new RespError("WRONGTYPE Operation against a key holding the wrong kind of value");
export const NOT_INTEGER = new RespError("ERR value is not an integer or out of range");
export const SYNTAX = new RespError("ERR syntax error");

/** Thrown inside command handlers and turned into an error reply by the dispatcher. */
export class CommandFailure extends Error {
  readonly reply: RespError;
  constructor(reply: RespError) {
    super(reply.message);
    this.reply = reply;
  }
}

export function parseInteger(text: string | undefined): number {
  if (text === undefined || !/^-?\d+$/.test(text)) throw new CommandFailure(NOT_INTEGER);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new CommandFailure(NOT_INTEGER);
  return n;
}

/** Redis glob patterns (`*`, `?`, `[abc]`, `\x`) as a RegExp, for KEYS and SCAN MATCH. */
export function globToRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "*") out += ".*";
    else if (c === "?") out += ".";
    else if (c === "\\" && i + 1 < pattern.length) out += `\\${pattern[++i]}`;
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 1);
      if (close < 0) out += "\\[";
      else {
        const body = pattern.slice(i + 1, close).replace(/\\/g, "\\\\");
        out += `[${body.startsWith("^") ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${out}$`, "s");
}

export class MemoryStore {
  private readonly entries = new Map<string, Entry>();
  readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt != null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    this.entries.set(key, entry);
  }

  delete(key: string): boolean {
    return this.get(key) !== undefined && this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  keys(): string[] {
    return [...this.entries.keys()].filter((key) => this.get(key) !== undefined);
  }

  string(key: string): string | null {
    const entry = this.get(key);
    if (!entry) return null;
    if (entry.type !== "string") throw new CommandFailure(WRONGTYPE);
    return entry.value;
  }

  /** The hash at key, created when `create` is set; empty hashes are removed as Redis does. */
  hash(key: string, create: boolean): Map<string, string> | null {
    const entry = this.get(key);
    if (entry && entry.type !== "hash") throw new CommandFailure(WRONGTYPE);
    if (entry) return entry.value;
    if (!create) return null;
    const value = new Map<string, string>();
    this.entries.set(key, { type: "hash", value, expiresAt: null });
    return value;
  }

  setOf(key: string, create: boolean): Set<string> | null {
    const entry = this.get(key);
    if (entry && entry.type !== "set") throw new CommandFailure(WRONGTYPE);
    if (entry) return entry.value;
    if (!create) return null;
    const value = new Set<string>();
    this.entries.set(key, { type: "set", value, expiresAt: null });
    return value;
  }

  dropIfEmpty(key: string): void {
    const entry = this.get(key);
    if (entry && entry.type !== "string" && entry.value.size === 0) this.entries.delete(key);
  }

  /** Adds to an integer string, keeping its TTL (INCR semantics). */
  addInteger(key: string, by: number): number {
    const entry = this.get(key);
    if (entry && entry.type !== "string") throw new CommandFailure(WRONGTYPE);
    const next = parseInteger(entry ? entry.value : "0") + by;
    if (!Number.isSafeInteger(next)) throw new CommandFailure(NOT_INTEGER);
    this.entries.set(key, { type: "string", value: String(next), expiresAt: entry?.expiresAt ?? null });
    return next;
  }
}
