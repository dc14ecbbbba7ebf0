// The in-process Redis fallback: ioredis-mock (Lua via fengari), one command at a time, MULTI/EXEC, script cache.
import { createHash, randomUUID } from "node:crypto";
import RedisMock from "ioredis-mock";
import {
  checkCommand,
  normalizeArgs,
  notSupported,
  repliesWithStatus,
  toRespError,
  toRespValue,
} from "./fallback-commands.ts";
import { RespError, RespStatus, type RespValue } from "./resp.ts";

const sha1 = (text: string): string => createHash("sha1").update(text).digest("hex");

/** Redis 7 reads a `#!lua …` first line itself; fengari would take it for code. Line numbers stay. */
const withoutShebang = (script: string): string =>
  script.startsWith("#!") ? script.replace(/^[^\n]*/, "") : script;

export type Session = (args: readonly string[]) => RespValue | Promise<RespValue>;

export class FallbackRedis {
  // A host of its own, because ioredis-mock shares data between instances with the same host:port.
  private readonly mock = new RedisMock({ host: `fallback-${randomUUID()}`, lazyConnect: false });
  private readonly scripts = new Map<string, string>();
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs one command after every command submitted before it, as a single-threaded Redis would. */
  exec(args: readonly string[]): Promise<RespValue> {
    const invalid = checkCommand(args);
    if (invalid) return Promise.resolve(invalid);
    return this.exclusive(() => this.run(args));
  }

  /** A connection's view: MULTI queues (a bad command poisons the batch, as in Redis) until EXEC or DISCARD. */
  session(): Session {
    let queued: (readonly string[])[] | null = null;
    let poisoned = false;
    return (args) => {
      const name = (args[0] ?? "").toUpperCase();
      if (name === "MULTI") {
        if (queued) return new RespError("ERR MULTI calls can not be nested");
        queued = [];
        poisoned = false;
        return new RespStatus("OK");
      }
      if (name === "EXEC" || name === "DISCARD") {
        if (!queued) return new RespError(`ERR ${name} without MULTI`);
        const batch = queued;
        queued = null;
        if (name === "DISCARD") return new RespStatus("OK");
        if (poisoned) return new RespError("EXECABORT Transaction discarded because of previous errors.");
        return this.exclusive(async () => {
          const replies: RespValue[] = [];
          for (const command of batch) replies.push(await this.run(command));
          return replies;
        });
      }
      if (!queued) return this.exec(args);
      const invalid = checkCommand(args);
      if (invalid) {
        poisoned = true;
        return invalid;
      }
      queued.push(args);
      return new RespStatus("QUEUED");
    };
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      await this.mock.flushall();
      this.mock.disconnect();
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const done = this.tail.then(work);
    this.tail = done.catch(() => {});
    return done;
  }

  /** One checked command; errors become error replies so pipelines and transactions keep their other results. */
  private async run(args: readonly string[]): Promise<RespValue> {
    const [command = "", ...rest] = normalizeArgs(args);
    const name = command.toLowerCase();
    try {
      if (name === "eval" || name === "evalsha" || name === "script") return await this.scripting(name, rest);
      const method: unknown = Reflect.get(this.mock, name);
      if (typeof method !== "function") return notSupported(name);
      return toRespValue(await method.apply(this.mock, rest), repliesWithStatus(args));
    } catch (error) {
      // ioredis-mock marks commands it lists but does not implement with a TypeError.
      return error instanceof TypeError && error.message.startsWith("Unsupported command")
        ? notSupported(name)
        : toRespError(error);
    }
  }

  private async scripting(name: string, [first = "", ...rest]: string[]): Promise<RespValue> {
    if (name === "script") {
      const sub = first.toUpperCase();
      if (sub === "LOAD" && rest[0] !== undefined) {
        const sha = sha1(rest[0]);
        this.scripts.set(sha, rest[0]);
        return Buffer.from(sha);
      }
      if (sub === "EXISTS") return rest.map((sha) => (this.scripts.has(sha.toLowerCase()) ? 1 : 0));
      if (sub === "FLUSH") {
        this.scripts.clear();
        return new RespStatus("OK");
      }
      return notSupported(`script ${first}`);
    }
    let script = first;
    if (name === "evalsha") {
      const cached = this.scripts.get(first.toLowerCase());
      if (cached === undefined) return new RespError("NOSCRIPT No matching script. Please use EVAL.");
      script = cached;
    } else this.scripts.set(sha1(script), script);
    const [numKeys = "0", ...keysAndArgs] = rest;
    return toRespValue(await this.mock.eval(withoutShebang(script), numKeys, ...keysAndArgs));
  }
}
