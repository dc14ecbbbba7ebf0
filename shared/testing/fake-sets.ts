// Test double (unit tests only): Redis sets in memory with MULTI, SCAN and the narrowing script, counting calls,
// able to fail.
import type { SetTx, SetWriter } from "../search/index.ts";
import { NARROW_SCRIPT, type SetReader } from "../search/index.ts";

export class FakeSets implements SetReader, SetWriter {
  readonly sets = new Map<string, Set<string>>();
  calls = 0;
  mode: "ok" | "error" = "ok";

  private async op<T>(run: () => T): Promise<T> {
    this.calls++;
    await Promise.resolve();
    if (this.mode === "error") throw new Error("fake redis is down");
    return run();
  }

  members(key: string): string[] {
    return [...(this.sets.get(key) ?? [])].sort();
  }

  /** Runs NARROW_SCRIPT (the only script narrowing sends): null past the limit, else the intersection. */
  eval(script: string, keys: string[], args: string[]): Promise<unknown> {
    return this.op(() => {
      if (script !== NARROW_SCRIPT) throw new Error("fake redis runs only the narrowing script");
      const [first, ...rest] = keys.map((k) => this.sets.get(k) ?? new Set<string>());
      const inter = [...(first ?? [])].filter((m) => rest.every((s) => s.has(m)));
      return inter.length >= Number(args[0]) ? null : inter;
    });
  }

  multi(): SetTx {
    const queued: Array<() => void> = [];
    const tx: SetTx = {
      del: (...keys) => {
        queued.push(() => {
          for (const k of keys) this.sets.delete(k);
        });
        return tx;
      },
      sadd: (key, ...members) => {
        queued.push(() => {
          const set = this.sets.get(key) ?? new Set<string>();
          for (const m of members) set.add(m);
          this.sets.set(key, set);
        });
        return tx;
      },
      srem: (key, ...members) => {
        queued.push(() => {
          const set = this.sets.get(key);
          for (const m of members) set?.delete(m);
          if (set?.size === 0) this.sets.delete(key);
        });
        return tx;
      },
      exec: () =>
        this.op(() => {
          for (const run of queued) run();
        }),
    };
    return tx;
  }

  scan(cursor: string | number, opts: { match: string; count: number }): Promise<[string, string[]]> {
    return this.op(() => {
      const prefix = opts.match.replace(/\*$/, "");
      const keys = [...this.sets.keys()].filter((k) => k.startsWith(prefix)).sort();
      const from = Number(cursor);
      const page = keys.slice(from, from + 2);
      const next = from + 2 >= keys.length ? "0" : String(from + 2);
      return [next, page];
    });
  }

  del(...keys: string[]): Promise<number> {
    return this.op(() => keys.filter((k) => this.sets.delete(k)).length);
  }
}
