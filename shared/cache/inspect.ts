// What the edge holds for a URL (status, age, TTL, grace, keep, tags): the operators' view of one cache entry.
import type { HotCache } from "./hot-cache.ts";
import { keepKey, keepTag, urlTag } from "./key.ts";
import { type Freshness, freshness, readMeta } from "./meta.ts";
import { ageSeconds, ttlLeft } from "./status.ts";
import type { TagIndex } from "./tag-index.ts";

export interface EntryView {
  /** The cache key (the page's URL, plus flag or header parts for a variant). */
  key: string;
  status: number;
  storedAt: string;
  /** Seconds since stored (plus any age it arrived with). */
  age: number;
  ttl: number;
  grace: number;
  keep: number;
  /** Seconds of freshness left; negative once stale. */
  ttlLeft: number;
  freshness: Freshness;
  tags: string[];
  /** Also in this isolate's in-memory copy (served without a Cache API read). */
  hot: boolean;
}

export interface Inspection {
  /** The page as the cache names it (tracking parameters dropped, query in canonical order). */
  base: string;
  entries: EntryView[];
  /** A soft purge's leftover copy, served only if the origin fails. */
  keepCopies: EntryView[];
  /** Whether other variants were looked for (locally, through the tag index); production sees the plain key only. */
  variantsListed: boolean;
}

export interface InspectDeps {
  cache: Cache;
  hot: HotCache;
  /** Present locally (purge-by-tag index); absent when Cloudflare's API purges. */
  index: TagIndex | null;
  base: (url: URL) => string;
  now: () => number;
}

async function view(deps: InspectDeps, key: string, t: number): Promise<EntryView | null> {
  const res = await deps.cache.match(key);
  if (!res) return null;
  await res.body?.cancel();
  const meta = readMeta(res.headers);
  if (!meta) return null;
  return {
    key,
    status: res.status,
    storedAt: new Date(meta.storedAt).toISOString(),
    age: ageSeconds(meta.storedAt, t, meta.ageAtStore),
    ttl: meta.ttl,
    grace: meta.grace,
    keep: meta.keep,
    ttlLeft: ttlLeft(meta.storedAt, meta.ttl, t),
    freshness: freshness(meta, t),
    // The URL tag is the cache's own bookkeeping; keep copies carry the page's tags prefixed.
    tags: meta.tags.filter((tag) => !/^(keep:)?ep-url:/.test(tag)),
    hot: deps.hot.has(key, t),
  };
}

/** Reads only: nothing is stored, refreshed or counted as a use by looking. */
export async function inspectUrl(deps: InspectDeps, url: URL): Promise<Inspection> {
  const base = deps.base(url);
  const t = deps.now();
  const tag = urlTag(base);
  const keys = new Set([base]);
  const keepKeys = new Set([keepKey(base)]);
  if (deps.index) {
    const [pages, copies] = await Promise.all([deps.index.keys(tag), deps.index.keys(keepTag(tag))]);
    for (const k of pages) keys.add(k);
    for (const k of copies) keepKeys.add(k);
  }
  const found = await Promise.all([...keys].map((k) => view(deps, k, t)));
  const kept = await Promise.all([...keepKeys].map((k) => view(deps, k, t)));
  const present = (v: EntryView | null): v is EntryView => v !== null;
  return {
    base,
    entries: found.filter(present),
    keepCopies: kept.filter(present),
    variantsListed: deps.index !== null,
  };
}
