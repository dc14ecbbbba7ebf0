// Purge by URL or tag: locally through the Cache API and the tag index, in production through Cloudflare's API.
import type { HotCache } from "./hot-cache.ts";
import { keepKey, keepTag, urlTag } from "./key.ts";
import { CloudflarePurgeClient, type CloudflarePurgeOptions, type PurgeResult } from "./purge-cloudflare.ts";
import type { TagIndex } from "./tag-index.ts";

export interface PurgeOptions {
  /** Also remove the keep copies, so nothing of the page can be served again (legal, privacy). */
  readonly hard?: boolean;
}

/** A purge made at another isolate, as the switches carry it: its stamp and tags. */
export type RemotePurge = { readonly at: number; readonly tags: readonly string[] };

export interface Purger {
  /** Absolute URLs; every variant of each page (flags, varyOn values) goes, tracking params are ignored. */
  purgeUrls(urls: readonly (string | URL)[], opts?: PurgeOptions): Promise<PurgeResult>;
  purgeTags(tags: readonly string[], opts?: PurgeOptions): Promise<PurgeResult>;
  /**
   * Purges made elsewhere (oldest first): this isolate's hot copies carrying their tags go, and fills under way do
   * not store. Nothing to do when the newest stamp was seen already; the first list is only noted (an isolate
   * starts with nothing in memory).
   */
  applyRemote(purges: readonly RemotePurge[] | undefined): void;
}

export interface PurgerDeps {
  /** The page a URL names, as the cache keys it (its route's canonical query). */
  readonly base: (url: URL) => string;
  readonly cache: Cache;
  readonly index: TagIndex;
  readonly hot: HotCache;
  /** Called before anything is deleted, so fetches already under way do not store pre-purge content. */
  readonly invalidate: () => void;
  /** Tells every other isolate (their hot copies); awaited, and must not throw. */
  readonly announce?: (tags: readonly string[]) => Promise<void>;
  readonly cloudflare?: CloudflarePurgeOptions;
}

export function createPurger(deps: PurgerDeps): Purger {
  const client = deps.cloudflare ? new CloudflarePurgeClient(deps.cloudflare) : null;
  // The stamp of the newest remote purge applied here; null until the first list is seen.
  let appliedUpTo: number | null = null;

  /** Clears this isolate's view; in local mode that is the whole purge. Returns the keys removed. */
  async function local(tags: readonly string[], directKeys: readonly string[]): Promise<number> {
    deps.invalidate();
    deps.hot.deleteTagged(new Set(tags));
    const keys = new Set(directKeys);
    const perTag = await Promise.all(tags.map(async (t) => [t, await deps.index.keys(t)] as const));
    for (const [, ks] of perTag) for (const k of ks) keys.add(k);
    for (const k of keys) deps.hot.delete(k);
    await Promise.all([...keys].map((k) => deps.cache.delete(new Request(k))));
    await Promise.all(perTag.map(([t, ks]) => deps.index.forget(t, ks)));
    await deps.announce?.(tags);
    return keys.size;
  }

  return {
    applyRemote(purges) {
      const newest = purges?.at(-1)?.at ?? 0;
      if (appliedUpTo !== null && newest <= appliedUpTo) return;
      const since = appliedUpTo;
      appliedUpTo = Math.max(newest, since ?? 0);
      if (since === null || !purges) return;
      const tags = new Set<string>();
      for (const p of purges) if (p.at > since) for (const t of p.tags) tags.add(t);
      deps.invalidate();
      deps.hot.deleteTagged(tags);
    },

    async purgeTags(tags, opts) {
      const named = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
      if (named.length === 0) return { ok: true, items: 0, errors: [] };
      const clean = opts?.hard ? [...named, ...named.map(keepTag)] : named;
      const removed = await local(clean, []);
      if (!client) return { ok: true, items: removed, errors: [] };
      return client.purge("tags", clean);
    },

    async purgeUrls(urls, opts) {
      const pages = [...new Set(urls.map((u) => deps.base(new URL(u))))];
      if (pages.length === 0) return { ok: true, items: 0, errors: [] };
      const pageTags = pages.map(urlTag);
      const bases = opts?.hard ? [...pages, ...pages.map(keepKey)] : pages;
      const tags = opts?.hard ? [...pageTags, ...pageTags.map(keepTag)] : pageTags;
      const removed = await local(tags, bases);
      if (!client) return { ok: true, items: removed, errors: [] };
      // Files purge is cheap (800+ URLs/s) and removes the plain page; variants (flags, varyOn) live under other
      // keys that only their URL tag reaches. Both calls are batched and coalesced.
      const [files, byTag] = await Promise.all([client.purge("files", bases), client.purge("tags", tags)]);
      return { ok: files.ok && byTag.ok, items: pages.length, errors: [...files.errors, ...byTag.errors] };
    },
  };
}
