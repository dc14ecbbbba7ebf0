// Test double (unit tests only): an in-memory stand-in for the subset of @upstash/redis that datacache and
// counters call, with an injectable clock, failure modes and per-command call counts.

export type FakeMode = "ok" | "error" | "hang";

/** Like @upstash/redis's automatic deserialization: JSON-looking strings come back parsed. */
function deserialize(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export class FakeRedis {
  mode: FakeMode = "ok";
  readonly calls = new Map<string, number>();
  private readonly strings = new Map<string, { value: string; expiresAt: number | null }>();
  private readonly hashes = new Map<string, Map<string, number | string>>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  count(command: string): number {
    return this.calls.get(command) ?? 0;
  }

  raw(key: string): string | undefined {
    return this.live(key)?.value;
  }

  hash(key: string): Map<string, number | string> | undefined {
    return this.hashes.get(key);
  }

  private async op<T>(command: string, run: () => T): Promise<T> {
    this.calls.set(command, this.count(command) + 1);
    if (this.mode === "hang") return new Promise<T>(() => {});
    await Promise.resolve();
    if (this.mode === "error") throw new Error(`fake redis is down (${command})`);
    return run();
  }

  private live(key: string) {
    const entry = this.strings.get(key);
    if (entry?.expiresAt != null && entry.expiresAt <= this.now()) {
      this.strings.delete(key);
      return undefined;
    }
    return entry;
  }

  mget<T extends unknown[]>(...keys: string[]): Promise<T> {
    return this.op("mget", () => {
      const out: unknown[] = keys.map((key) => {
        const entry = this.live(key);
        return entry ? deserialize(entry.value) : null;
      });
      return out as T;
    });
  }

  set(key: string, value: string, opts: { px: number; nx?: true }): Promise<unknown> {
    return this.op("set", () => {
      if (opts.nx && this.live(key)) return null;
      this.strings.set(key, { value, expiresAt: this.now() + opts.px });
      return "OK";
    });
  }

  del(...keys: string[]): Promise<number> {
    return this.op("del", () => keys.filter((k) => this.strings.delete(k) || this.hashes.delete(k)).length);
  }

  exists(...keys: string[]): Promise<number> {
    return this.op("exists", () => keys.filter((k) => this.live(k) || this.hashes.has(k)).length);
  }

  incr(key: string): Promise<number> {
    return this.op("incr", () => {
      const next = Number(this.live(key)?.value ?? 0) + 1;
      this.strings.set(key, { value: String(next), expiresAt: null });
      return next;
    });
  }

  hincrby(key: string, field: string, by: number): Promise<number> {
    return this.op("hincrby", () => {
      const hash = this.hashes.get(key) ?? new Map<string, number | string>();
      this.hashes.set(key, hash);
      const next = Number(hash.get(field) ?? 0) + by;
      hash.set(field, next);
      return next;
    });
  }

  hsetnx(key: string, field: string, value: string): Promise<0 | 1> {
    return this.op("hsetnx", () => {
      const hash = this.hashes.get(key) ?? new Map<string, number | string>();
      this.hashes.set(key, hash);
      if (hash.has(field)) return 0;
      hash.set(field, value);
      return 1;
    });
  }

  hgetall<T extends Record<string, unknown>>(key: string): Promise<T | null> {
    return this.op("hgetall", () => {
      const hash = this.hashes.get(key);
      if (!hash || hash.size === 0) return null;
      const out: Record<string, unknown> = {};
      for (const [field, value] of hash) out[field] = typeof value === "string" ? deserialize(value) : value;
      return out as T;
    });
  }

  renamenx(source: string, destination: string): Promise<0 | 1> {
    return this.op("renamenx", () => {
      const hash = this.hashes.get(source);
      if (!hash) throw new Error("ERR no such key");
      if (this.hashes.has(destination)) return 0;
      this.hashes.delete(source);
      this.hashes.set(destination, hash);
      return 1;
    });
  }
}
