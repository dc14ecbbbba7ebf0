// In-process Redis emulation: dispatches commands to the handler table; single-threaded JS makes each batch atomic.
import { COMMANDS } from "./memory-commands.ts";
import { CommandFailure, MemoryStore } from "./memory-store.ts";
import { RespError, RespStatus, type RespValue } from "./resp.ts";

function checkCommand(args: readonly string[]): RespError | null {
  const name = (args[0] ?? "").toUpperCase();
  const spec = COMMANDS[name];
  if (!spec) {
    const rest = args
      .slice(1)
      .map((a) => `'${a}'`)
      .join(" ");
    return new RespError(`ERR unknown command '${args[0] ?? ""}', with args beginning with: ${rest}`);
  }
  const count = args.length - 1;
  if (count < spec.minArgs || (spec.maxArgs !== undefined && count > spec.maxArgs)) {
    return new RespError(`ERR wrong number of arguments for '${name.toLowerCase()}' command`);
  }
  return null;
}

export class MemoryRedis {
  readonly store: MemoryStore;

  constructor(now: () => number = Date.now) {
    this.store = new MemoryStore(now);
  }

  exec(args: readonly string[]): RespValue {
    const invalid = checkCommand(args);
    if (invalid) return invalid;
    const spec = COMMANDS[(args[0] ?? "").toUpperCase()];
    if (!spec) return new RespError("ERR unknown command");
    try {
      return spec.run(this.store, args.slice(1));
    } catch (error) {
      if (error instanceof CommandFailure) return error.reply;
      throw error;
    }
  }

  /** MULTI/EXEC: a bad command aborts the whole batch up front (EXECABORT), runtime errors stay per command. */
  transaction(commands: readonly (readonly string[])[]): RespValue {
    for (const args of commands) {
      const invalid = checkCommand(args);
      if (invalid)
        return new RespError(
          `EXECABORT Transaction discarded because of previous errors. ${invalid.message}`,
        );
    }
    return commands.map((args) => this.exec(args));
  }

  /** Per-connection state for the RESP server: MULTI queues until EXEC or DISCARD. */
  session(): (args: readonly string[]) => RespValue {
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
        return poisoned
          ? new RespError("EXECABORT Transaction discarded because of previous errors.")
          : this.transaction(batch);
      }
      if (queued) {
        const invalid = checkCommand(args);
        if (invalid) {
          poisoned = true;
          return invalid;
        }
        queued.push(args);
        return new RespStatus("QUEUED");
      }
      return this.exec(args);
    };
  }
}
