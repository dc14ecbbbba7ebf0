// Test double for the few KVNamespace calls the read-only store makes; unit tests only.
export type MemoryKV = KVNamespace & {
  data: Map<string, string>;
  reads: number;
  /** When set, every call rejects with this error (a KV outage). */
  failWith: Error | null;
  /** When set, get() waits this long first (a slow KV). */
  delayMs: number;
};

export function memoryKV(initial: Record<string, string> = {}): MemoryKV {
  const data = new Map(Object.entries(initial));
  const kv = {
    data,
    reads: 0,
    failWith: null as Error | null,
    delayMs: 0,
    async get(key: string): Promise<string | null> {
      kv.reads++;
      if (kv.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, kv.delayMs));
      if (kv.failWith) throw kv.failWith;
      return data.get(key) ?? null;
    },
    async put(key: string, value: string): Promise<void> {
      if (kv.failWith) throw kv.failWith;
      data.set(key, value);
    },
  };
  return kv as unknown as MemoryKV;
}
