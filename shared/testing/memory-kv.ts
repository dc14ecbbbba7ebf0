// In-memory KVNamespace test double (reads and writes with metadata, list) with outage knobs; unit tests only.
export type MemoryKV = KVNamespace & {
  data: Map<string, string>;
  reads: number;
  writes: number;
  /** When set, every call rejects with this error (a KV outage). */
  failWith: Error | null;
  /** When set, get() waits this long first (a slow KV). */
  delayMs: number;
  /** When set, get() never answers (a hung KV). */
  hang: boolean;
};

export function memoryKV(initial: Record<string, string> = {}): MemoryKV {
  const data = new Map(Object.entries(initial));
  const metadata = new Map<string, unknown>();
  const kv = {
    data,
    reads: 0,
    writes: 0,
    failWith: null as Error | null,
    delayMs: 0,
    hang: false,
    async get(key: string): Promise<string | null> {
      kv.reads++;
      if (kv.hang) await new Promise(() => {});
      if (kv.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, kv.delayMs));
      if (kv.failWith) throw kv.failWith;
      return data.get(key) ?? null;
    },
    async getWithMetadata(key: string): Promise<{ value: string | null; metadata: unknown }> {
      const value = await kv.get(key);
      return { value, metadata: value === null ? null : (metadata.get(key) ?? null) };
    },
    async put(key: string, value: string, opts?: { metadata?: unknown }): Promise<void> {
      if (kv.failWith) throw kv.failWith;
      kv.writes++;
      data.set(key, value);
      metadata.set(key, opts?.metadata ?? null);
    },
    async delete(key: string): Promise<void> {
      if (kv.failWith) throw kv.failWith;
      data.delete(key);
      metadata.delete(key);
    },
    async list(opts: { prefix?: string } = {}) {
      if (kv.failWith) throw kv.failWith;
      const keys = [...data.keys()]
        .filter((name) => name.startsWith(opts.prefix ?? ""))
        .map((name) => ({ name, metadata: metadata.get(name) ?? null }));
      return { keys, list_complete: true, cacheStatus: null };
    },
  };
  return kv as unknown as MemoryKV;
}
