// A per-isolate LRU of fresh objects in front of the Cache API, bounded by entries, bytes and a short TTL.
//
// Each isolate has its own copy and a purge clears only this isolate's at once. Other isolates drop theirs when
// the purge reaches them with the switches (a list of recent purges, read every few seconds): while that feed is
// live a copy may be kept `liveTtlMs`, otherwise `ttlMs`, which is then what bounds how long another isolate serves
// a purged page (and why a purging writer gets the ep_bypass cookie, reading past every hot cache meanwhile).
import type { EntryMeta } from "./meta.ts";

export interface HotOptions {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly ttlMs: number;
  /** How long a copy is kept while `live()` says purges reach this isolate (default: ttlMs). */
  readonly liveTtlMs?: number;
}

// Sized for a site's popular pages and their variants, not its top few hundred: under a Zipf load over 1,000 pages
// a 512-entry LRU sent every tenth hit to the Cache API (bench/edge-zipf.ts). The byte bound is what holds memory.
export const DEFAULT_HOT: HotOptions = {
  maxEntries: 4_096,
  maxBytes: 8 * 1024 * 1024,
  ttlMs: 3_000,
  liveTtlMs: 60_000,
};

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
  /** The same with liveTtlMs: the expiry while purges reach this isolate. */
  readonly liveUntil: number;
}

export class HotCache {
  readonly #slots = new Map<string, Slot>();
  #bytes = 0;
  readonly #opts: HotOptions;

  readonly #live: () => boolean;

  /** `live`: whether purges made elsewhere reach this isolate now (so copies may be kept liveTtlMs). */
  constructor(opts: HotOptions, live: () => boolean = () => false) {
    this.#opts = opts;
    this.#live = live;
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
    const slot = this.#slots.get(key);
    return slot !== undefined && this.#until(slot) > nowMs;
  }

  get(key: string, nowMs: number): CachedObject | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (this.#until(slot) <= nowMs) {
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
    const fresh = obj.meta.storedAt + obj.meta.ttl * 1000;
    const until = Math.min(nowMs + this.#opts.ttlMs, fresh);
    if (until <= nowMs) return;
    const liveUntil = Math.min(nowMs + (this.#opts.liveTtlMs ?? this.#opts.ttlMs), fresh);
    const old = this.#slots.get(key);
    if (old) this.#drop(key, old);
    this.#slots.set(key, { obj, bytes, until, liveUntil });
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

  #until(slot: Slot): number {
    return this.#live() ? slot.liveUntil : slot.until;
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
