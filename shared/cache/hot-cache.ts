// A tiny per-isolate LRU of fresh objects in front of the Cache API, bounded by entries, bytes and a short TTL.
//
// Each isolate has its own copy and purge can only clear this isolate's, so a purged page may live on in other
// isolates for at most `ttlMs`. That bound is why the TTL stays at a few seconds, and why a purging writer gets
// the ep_bypass cookie (it reads past every hot cache until the others have expired).
import type { EntryMeta } from "./meta.ts";

export interface HotOptions {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly ttlMs: number;
}

// Sized for a site's popular pages and their variants, not its top few hundred: under a Zipf load over 1,000 pages
// a 512-entry LRU sent every tenth hit to the Cache API (bench/edge-zipf.ts). The byte bound is what holds memory.
export const DEFAULT_HOT: HotOptions = { maxEntries: 4_096, maxBytes: 8 * 1024 * 1024, ttlMs: 3_000 };

/** A response in plain memory: safe to share between requests, unlike a Response or a stream. */
export interface BufferedResponse {
  readonly status: number;
  readonly statusText: string;
  /** Delivery headers (internal fields already stripped), without Age and Cache-Status. Never mutated. */
  readonly headers: [string, string][];
  readonly body: ArrayBuffer | null;
}

/** A stored object with the metadata that decides fresh / grace / keep. */
export interface CachedObject extends BufferedResponse {
  readonly meta: EntryMeta;
}

interface Slot {
  readonly obj: CachedObject;
  readonly bytes: number;
  /** Hot expiry: the earlier of now + ttlMs and the end of freshness, so a hot hit is always fresh. */
  readonly until: number;
}

export class HotCache {
  readonly #slots = new Map<string, Slot>();
  #bytes = 0;
  readonly #opts: HotOptions;

  constructor(opts: HotOptions) {
    this.#opts = opts;
  }

  get size(): number {
    return this.#slots.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Whether an object of this size would be admitted; one object may not take over a quarter of the budget. */
  admits(bodyBytes: number): boolean {
    return this.#opts.maxEntries > 0 && bodyBytes <= this.#opts.maxBytes / 4;
  }

  /** Whether a live copy is held, without marking it used. */
  has(key: string, nowMs: number): boolean {
    return (this.#slots.get(key)?.until ?? 0) > nowMs;
  }

  get(key: string, nowMs: number): CachedObject | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.until <= nowMs) {
      this.#drop(key, slot);
      return undefined;
    }
    // Re-insert to mark most recently used: Map iteration order is the LRU order.
    this.#slots.delete(key);
    this.#slots.set(key, slot);
    return slot.obj;
  }

  set(key: string, obj: CachedObject, nowMs: number): void {
    const bytes = sizeOf(key, obj);
    if (!this.admits(bytes)) return;
    const until = Math.min(nowMs + this.#opts.ttlMs, obj.meta.storedAt + obj.meta.ttl * 1000);
    if (until <= nowMs) return;
    const old = this.#slots.get(key);
    if (old) this.#drop(key, old);
    this.#slots.set(key, { obj, bytes, until });
    this.#bytes += bytes;
    for (const [k, s] of this.#slots) {
      if (this.#slots.size <= this.#opts.maxEntries && this.#bytes <= this.#opts.maxBytes) break;
      this.#drop(k, s);
    }
  }

  delete(key: string): void {
    const slot = this.#slots.get(key);
    if (slot) this.#drop(key, slot);
  }

  /** Drops every object carrying any of the tags (the URL tag included). */
  deleteTagged(tags: ReadonlySet<string>): number {
    let n = 0;
    for (const [k, s] of this.#slots) {
      if (s.obj.meta.tags.some((t) => tags.has(t))) {
        this.#drop(k, s);
        n++;
      }
    }
    return n;
  }

  clear(): void {
    this.#slots.clear();
    this.#bytes = 0;
  }

  #drop(key: string, slot: Slot): void {
    this.#slots.delete(key);
    this.#bytes -= slot.bytes;
  }
}

function sizeOf(key: string, obj: CachedObject): number {
  let n = key.length + (obj.body?.byteLength ?? 0);
  for (const [k, v] of obj.headers) n += k.length + v.length;
  return n;
}
