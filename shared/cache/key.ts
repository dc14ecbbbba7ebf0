// Builds the normalised cache-key URL: one key per distinct page, whatever the tracking noise on the request.

/** Query parameters that only feed analytics; they never change the page, so they never split the cache. */
const TRACKING_EXACT = new Set([
  "gclid",
  "gclsrc",
  "dclid",
  "gbraid",
  "wbraid",
  "fbclid",
  "msclkid",
  "yclid",
  "twclid",
  "ttclid",
  "li_fat_id",
  "igshid",
  "mc_cid",
  "mc_eid",
  "_ga",
  "_gl",
  "_hsenc",
  "_hsmi",
  "mkt_tok",
  "oly_anon_id",
  "oly_enc_id",
  "vero_id",
]);

/** Key-part parameters the cache appends itself; a client may not forge them. */
const RESERVED_PREFIX = "__ep";

export function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith("utm_") || TRACKING_EXACT.has(n) || n.startsWith(RESERVED_PREFIX);
}

export interface CacheKey {
  /** The full key: base plus key parts and varyOn header values. */
  readonly key: string;
  /** The page's URL as origin sees it (tracking removed, query sorted); purge-by-URL works on this. */
  readonly base: string;
}

/**
 * Host is lowercased by URL parsing; the path stays as sent because paths are case-sensitive and folding them
 * could serve /Talks for /talks. Duplicate query names keep their relative order (`a=1&a=2` ≠ `a=2&a=1`).
 */
export function cacheKey(
  url: URL,
  varyOn: readonly string[],
  headers: Headers,
  keyParts?: Readonly<Record<string, string>>,
  query?: QueryCanon | null,
): CacheKey {
  const base = baseUrl(url, query);
  let extra = "";
  if (keyParts) {
    for (const name of Object.keys(keyParts).sort()) {
      extra += `&${RESERVED_PREFIX}.k.${encodeURIComponent(name)}=${encodeURIComponent(keyParts[name] ?? "")}`;
    }
  }
  // varyOn arrives sorted and lowercased from compilePolicy; an absent header and an empty one both key as "".
  for (const h of varyOn) {
    extra += `&${RESERVED_PREFIX}.h.${h}=${encodeURIComponent(normaliseHeader(headers.get(h)))}`;
  }
  if (!extra) return { key: base, base };
  return { key: base.includes("?") ? base + extra : `${base}?${extra.slice(1)}`, base };
}

/**
 * A route's own canonical query string (see RoutePolicy.query): it sees every parameter and returns only those
 * that change the page, in one order and spelling, so long-tail variants of one page share one key.
 */
export type QueryCanon = (params: URLSearchParams) => string;

/**
 * The normalised page URL without key parts: scheme, host, path, no fragment, and the route's canonical query,
 * or by default the sorted query without tracking parameters.
 */
export function baseUrl(url: URL, query?: QueryCanon | null): string {
  const origin = `${url.protocol}//${url.host}${url.pathname}`;
  if (query) {
    const q = query(url.searchParams);
    return q ? `${origin}?${q}` : origin;
  }
  if (!url.search) return origin;
  const kept = new URLSearchParams();
  for (const [name, value] of url.searchParams) if (!isTrackingParam(name)) kept.append(name, value);
  kept.sort();
  const q = kept.toString();
  return q ? `${origin}?${q}` : origin;
}

function normaliseHeader(v: string | null): string {
  return v === null ? "" : v.trim().replace(/\s+/g, " ");
}

/**
 * A short tag naming every variant of one page, so purge-by-URL reaches flag and varyOn variants too.
 * Two FNV-1a passes give 64 bits: a collision only over-purges, never under-purges.
 */
export function urlTag(base: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < base.length; i++) {
    const c = base.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 15);
  }
  return `ep-url:${(h1 >>> 0).toString(16).padStart(8, "0")}${(h2 >>> 0).toString(16).padStart(8, "0")}`;
}

/**
 * Where a stored page's keep copy lives: the same key with a reserved marker no client can send. A soft purge
 * deletes the page and leaves this copy, which is read only when the origin fails (stale-if-error after a purge).
 */
export function keepKey(key: string): string {
  return `${key}${key.includes("?") ? "&" : "?"}${RESERVED_PREFIX}.keep=1`;
}

/** Tags of keep copies are prefixed, so a purge of `event:1` (soft) spares them and a hard purge names both. */
export function keepTag(tag: string): string {
  return `keep:${tag}`;
}
