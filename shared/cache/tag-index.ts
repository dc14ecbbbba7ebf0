// Tag → cache-key index so purge-by-tag can find Cache API objects (the Cache API cannot list or search).
//
// One KV entry per (tag, key) pair instead of one list per tag: KV is last-write-wins, so read-modify-write
// lists would lose keys under concurrent stores. The in-isolate map answers at once for what this isolate stored.
import { urlTag } from "./key.ts";

const PREFIX = "ep:tag:";
/** KV keys are limited to 512 bytes; longer tags are indexed in memory only. */
const MAX_TAG_IN_KV = 400;

export class TagIndex {
  readonly #mem = new Map<string, Set<string>>();
  readonly #kv: KVNamespace | undefined;
  readonly #maxTags: number;

  constructor(kv?: KVNamespace, maxTags = 10_000) {
    this.#kv = kv;
    this.#maxTags = maxTags;
  }

  /** Records that `key` carries `tags`; KV entries expire with the object (KV's minimum TTL is 60 s). */
  async add(key: string, tags: readonly string[], lifetimeSec: number): Promise<void> {
    for (const tag of tags) {
      let keys = this.#mem.get(tag);
      if (!keys) {
        // Bounded: forget the oldest tag rather than grow without limit (KV, when present, still has it).
        if (this.#mem.size >= this.#maxTags) {
          const oldest = this.#mem.keys().next();
          if (!oldest.done) this.#mem.delete(oldest.value);
        }
        keys = new Set();
        this.#mem.set(tag, keys);
      }
      keys.add(key);
    }
    const kv = this.#kv;
    if (!kv) return;
    const expirationTtl = Math.max(60, Math.ceil(lifetimeSec));
    await Promise.all(
      tags
        .map((tag) => kvName(tag, key))
        .filter((name): name is string => name !== null)
        .map((name) => kv.put(name, key, { expirationTtl, metadata: { k: key.length <= 900 ? key : null } })),
    );
  }

  /** Every key known to carry the tag, from this isolate and from KV. */
  async keys(tag: string): Promise<string[]> {
    const out = new Set(this.#mem.get(tag));
    const kv = this.#kv;
    const prefix = kvPrefix(tag);
    if (kv && prefix) {
      let cursor: string | undefined;
      do {
        const page: KVNamespaceListResult<{ k: string | null }> = await kv.list({ prefix, cursor });
        for (const entry of page.keys) {
          const k = entry.metadata?.k ?? (await kv.get(entry.name));
          if (k) out.add(k);
        }
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
    }
    return [...out];
  }

  /** Drops the tag's entries once their objects are gone. */
  async forget(tag: string, keys: readonly string[]): Promise<void> {
    this.#mem.delete(tag);
    const kv = this.#kv;
    if (!kv) return;
    await Promise.all(
      keys.map((k) => kvName(tag, k)).flatMap((name) => (name === null ? [] : [kv.delete(name)])),
    );
  }
}

function kvPrefix(tag: string): string | null {
  const enc = encodeURIComponent(tag);
  return enc.length > MAX_TAG_IN_KV ? null : `${PREFIX}${enc}:`;
}

function kvName(tag: string, key: string): string | null {
  const p = kvPrefix(tag);
  return p === null ? null : p + urlTag(key).slice("ep-url:".length);
}
