// The Redis commands the emulation knows (what edgeplate uses), each a function over the MemoryStore.
import {
  CommandFailure,
  globToRegExp,
  type MemoryStore,
  NOT_INTEGER,
  parseInteger,
  SYNTAX,
} from "./memory-store.ts";
import { RespError, RespStatus, type RespValue } from "./resp.ts";

type Handler = (db: MemoryStore, args: string[]) => RespValue;
/** minArgs/maxArgs count the arguments after the command name, for Redis's wrong-number-of-arguments error. */
export interface CommandSpec {
  minArgs: number;
  maxArgs?: number;
  run: Handler;
}

const OK = new RespStatus("OK");
const bulk = (text: string | null | undefined): RespValue =>
  text == null ? null : Buffer.from(text, "utf8");

function setCommand(db: MemoryStore, [key = "", value = "", ...opts]: string[]): RespValue {
  let expiresAt: number | null = null;
  let mode: "" | "NX" | "XX" = "";
  let keepTtl = false;
  let returnOld = false;
  for (let i = 0; i < opts.length; i++) {
    const opt = (opts[i] ?? "").toUpperCase();
    if (opt === "NX" || opt === "XX") mode = opt;
    else if (opt === "KEEPTTL") keepTtl = true;
    else if (opt === "GET") returnOld = true;
    else if (opt === "EX" || opt === "PX" || opt === "EXAT" || opt === "PXAT") {
      const n = parseInteger(opts[++i]);
      if (n <= 0) throw new CommandFailure(new RespError("ERR invalid expire time in 'set' command"));
      const ms = opt === "EX" || opt === "EXAT" ? n * 1000 : n;
      expiresAt = opt.endsWith("AT") ? ms : db.now() + ms;
    } else throw new CommandFailure(SYNTAX);
  }
  const existing = db.get(key);
  const old = returnOld ? db.string(key) : null;
  if ((mode === "NX" && existing) || (mode === "XX" && !existing)) return returnOld ? bulk(old) : null;
  if (keepTtl && existing) expiresAt = existing.expiresAt;
  db.set(key, { type: "string", value, expiresAt });
  return returnOld ? bulk(old) : OK;
}

function expireCommand(unitMs: number): Handler {
  return (db, [key = "", amount]) => {
    const entry = db.get(key);
    if (!entry) return 0;
    const ms = parseInteger(amount) * unitMs;
    if (ms <= 0) db.delete(key);
    else entry.expiresAt = db.now() + ms;
    return 1;
  };
}

function ttlCommand(unitMs: number): Handler {
  return (db, [key = ""]) => {
    const entry = db.get(key);
    if (!entry) return -2;
    if (entry.expiresAt == null) return -1;
    return Math.ceil((entry.expiresAt - db.now()) / unitMs);
  };
}

function renameCommand(onlyIfNew: boolean): Handler {
  return (db, [from = "", to = ""]) => {
    const entry = db.get(from);
    if (!entry) throw new CommandFailure(new RespError("ERR no such key"));
    if (onlyIfNew && db.get(to)) return 0;
    db.delete(from);
    db.set(to, entry);
    return onlyIfNew ? 1 : OK;
  };
}

function scanCommand(db: MemoryStore, [, ...opts]: string[]): RespValue {
  let match: RegExp | null = null;
  for (let i = 0; i < opts.length; i += 2) {
    const opt = (opts[i] ?? "").toUpperCase();
    if (opt === "MATCH") match = globToRegExp(opts[i + 1] ?? "*");
    else if (opt !== "COUNT" && opt !== "TYPE") throw new CommandFailure(SYNTAX);
  }
  // One pass returns everything (cursor 0): correct for SCAN's contract, just not incremental.
  const keys = db.keys().filter((key) => !match || match.test(key));
  return [bulk("0"), keys.map(bulk)];
}

function hashSet(db: MemoryStore, [key = "", ...pairs]: string[], onlyIfNew: boolean): number {
  if (pairs.length === 0 || pairs.length % 2 !== 0) {
    throw new CommandFailure(new RespError("ERR wrong number of arguments for 'hset' command"));
  }
  const hash = db.hash(key, true) ?? new Map<string, string>();
  let added = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    const field = pairs[i] ?? "";
    if (onlyIfNew && hash.has(field)) continue;
    if (!hash.has(field)) added++;
    hash.set(field, pairs[i + 1] ?? "");
  }
  return added;
}

const flush: Handler = (db) => {
  db.clear();
  return OK;
};

const unsupportedScripting: Handler = () => {
  throw new CommandFailure(
    new RespError(
      "ERR scripting is not supported by edgeplate's in-process Redis emulation; run redis-server",
    ),
  );
};

export const COMMANDS: Record<string, CommandSpec> = {
  PING: {
    minArgs: 0,
    maxArgs: 1,
    run: (_db, [msg]) => (msg === undefined ? new RespStatus("PONG") : bulk(msg)),
  },
  ECHO: { minArgs: 1, maxArgs: 1, run: (_db, [msg]) => bulk(msg) },
  SELECT: {
    minArgs: 1,
    maxArgs: 1,
    run: (_db, [db]) => (db === "0" ? OK : new RespError("ERR DB index is out of range")),
  },
  GET: { minArgs: 1, maxArgs: 1, run: (db, [key = ""]) => bulk(db.string(key)) },
  GETDEL: {
    minArgs: 1,
    maxArgs: 1,
    run: (db, [key = ""]) => {
      const value = db.string(key);
      db.delete(key);
      return bulk(value);
    },
  },
  SET: { minArgs: 2, run: setCommand },
  MGET: {
    minArgs: 1,
    run: (db, keys) => keys.map((key) => (db.get(key)?.type === "string" ? bulk(db.string(key)) : null)),
  },
  MSET: {
    minArgs: 2,
    run: (db, pairs) => {
      if (pairs.length % 2 !== 0)
        throw new CommandFailure(new RespError("ERR wrong number of arguments for 'mset' command"));
      for (let i = 0; i < pairs.length; i += 2) {
        db.set(pairs[i] ?? "", { type: "string", value: pairs[i + 1] ?? "", expiresAt: null });
      }
      return OK;
    },
  },
  DEL: { minArgs: 1, run: (db, keys) => keys.filter((key) => db.delete(key)).length },
  EXISTS: { minArgs: 1, run: (db, keys) => keys.filter((key) => db.get(key) !== undefined).length },
  INCR: { minArgs: 1, maxArgs: 1, run: (db, [key = ""]) => db.addInteger(key, 1) },
  DECR: { minArgs: 1, maxArgs: 1, run: (db, [key = ""]) => db.addInteger(key, -1) },
  INCRBY: { minArgs: 2, maxArgs: 2, run: (db, [key = "", by]) => db.addInteger(key, parseInteger(by)) },
  DECRBY: { minArgs: 2, maxArgs: 2, run: (db, [key = "", by]) => db.addInteger(key, -parseInteger(by)) },
  EXPIRE: { minArgs: 2, maxArgs: 2, run: expireCommand(1000) },
  PEXPIRE: { minArgs: 2, maxArgs: 2, run: expireCommand(1) },
  TTL: { minArgs: 1, maxArgs: 1, run: ttlCommand(1000) },
  PTTL: { minArgs: 1, maxArgs: 1, run: ttlCommand(1) },
  PERSIST: {
    minArgs: 1,
    maxArgs: 1,
    run: (db, [key = ""]) => {
      const entry = db.get(key);
      if (!entry || entry.expiresAt == null) return 0;
      entry.expiresAt = null;
      return 1;
    },
  },
  RENAME: { minArgs: 2, maxArgs: 2, run: renameCommand(false) },
  RENAMENX: { minArgs: 2, maxArgs: 2, run: renameCommand(true) },
  TYPE: { minArgs: 1, maxArgs: 1, run: (db, [key = ""]) => new RespStatus(db.get(key)?.type ?? "none") },
  KEYS: {
    minArgs: 1,
    maxArgs: 1,
    run: (db, [pattern = "*"]) =>
      db
        .keys()
        .filter((k) => globToRegExp(pattern).test(k))
        .map(bulk),
  },
  SCAN: { minArgs: 1, run: scanCommand },
  DBSIZE: { minArgs: 0, maxArgs: 0, run: (db) => db.keys().length },
  FLUSHDB: { minArgs: 0, maxArgs: 1, run: flush },
  FLUSHALL: { minArgs: 0, maxArgs: 1, run: flush },
  HSET: { minArgs: 3, run: (db, args) => hashSet(db, args, false) },
  HSETNX: { minArgs: 3, maxArgs: 3, run: (db, args) => hashSet(db, args, true) },
  HGET: {
    minArgs: 2,
    maxArgs: 2,
    run: (db, [key = "", field = ""]) => bulk(db.hash(key, false)?.get(field)),
  },
  HGETALL: {
    minArgs: 1,
    maxArgs: 1,
    run: (db, [key = ""]) => [...(db.hash(key, false) ?? [])].flat().map(bulk),
  },
  HDEL: {
    minArgs: 2,
    run: (db, [key = "", ...fields]) => {
      const hash = db.hash(key, false);
      const removed = fields.filter((field) => hash?.delete(field)).length;
      db.dropIfEmpty(key);
      return removed;
    },
  },
  HINCRBY: {
    minArgs: 3,
    maxArgs: 3,
    run: (db, [key = "", field = "", by]) => {
      const hash = db.hash(key, true) ?? new Map<string, string>();
      const next = parseInteger(hash.get(field) ?? "0") + parseInteger(by);
      if (!Number.isSafeInteger(next)) throw new CommandFailure(NOT_INTEGER);
      hash.set(field, String(next));
      return next;
    },
  },
  SADD: {
    minArgs: 2,
    run: (db, [key = "", ...members]) => {
      const set = db.setOf(key, true) ?? new Set<string>();
      const before = set.size;
      for (const member of members) set.add(member);
      return set.size - before;
    },
  },
  SREM: {
    minArgs: 2,
    run: (db, [key = "", ...members]) => {
      const removed = members.filter((m) => db.setOf(key, false)?.delete(m)).length;
      db.dropIfEmpty(key);
      return removed;
    },
  },
  SMEMBERS: { minArgs: 1, maxArgs: 1, run: (db, [key = ""]) => [...(db.setOf(key, false) ?? [])].map(bulk) },
  SISMEMBER: {
    minArgs: 2,
    maxArgs: 2,
    run: (db, [key = "", m = ""]) => (db.setOf(key, false)?.has(m) ? 1 : 0),
  },
  EVAL: { minArgs: 2, run: unsupportedScripting },
  EVALSHA: { minArgs: 2, run: unsupportedScripting },
  SCRIPT: { minArgs: 1, run: unsupportedScripting },
};
