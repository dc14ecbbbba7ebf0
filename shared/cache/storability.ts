// Decides whether an origin response may be stored in the shared cache, for how long, and under which tags.
import { parseCacheControl, parseList, seconds } from "./cache-control.ts";
import type { RoutePolicy } from "./policy.ts";

export type NotStoredReason =
  | "server-error"
  | "status"
  | "set-cookie"
  | "no-store"
  | "private"
  | "no-cache"
  | "vary-star"
  | "vary"
  | "no-lifetime"
  | "expired";

export type Storability =
  | {
      readonly store: true;
      readonly ttl: number;
      readonly grace: number;
      readonly keep: number;
      readonly tags: string[];
    }
  | { readonly store: false; readonly reason: NotStoredReason; readonly hitForPass: boolean };

/** RFC 9110 §15.1 "heuristically cacheable" statuses (minus 501, which is an error here): `public` alone suffices. */
const HEURISTIC = new Set([200, 203, 204, 300, 301, 308, 404, 405, 410, 414]);
/** Statuses a shared cache must not store whatever the headers say: partial content, 304 to an unconditional fetch. */
const NEVER = new Set([206, 304]);

/**
 * The cache is opt-in: the origin must say `public`, `s-maxage`, `max-age` or `Expires`; a silent response is
 * not stored. hitForPass is true for answers that say "this URL is uncacheable" (so its requests must not queue
 * behind each other), false for errors and odd statuses that say nothing about the next answer.
 */
export function storability(res: { status: number; headers: Headers }, route: RoutePolicy): Storability {
  const { status, headers } = res;
  if (status >= 500) return notStored("server-error", false);
  if (status < 200 || NEVER.has(status)) return notStored("status", false);
  // A cookie set for one visitor must never be replayed to the next one.
  if (headers.has("set-cookie")) return notStored("set-cookie", true);

  const cc = parseCacheControl(headers.get("cache-control"));
  if (cc.has("no-store")) return notStored("no-store", true);
  if (cc.has("private")) return notStored("private", true);
  // no-cache means "revalidate every time"; an edge that cannot revalidate per request must not store it.
  if (cc.has("no-cache")) return notStored("no-cache", true);

  const vary = parseList(headers.get("vary"), true);
  if (vary.includes("*")) return notStored("vary-star", true);
  // A Vary the key does not reflect would let one variant answer for all of them.
  for (const h of vary)
    if (h !== "accept-encoding" && !route.varyOn.includes(h)) return notStored("vary", true);

  const sMaxAge = seconds(cc, "s-maxage");
  const lifetime = sMaxAge ?? seconds(cc, "max-age") ?? expiresLifetime(headers);
  let ttl: number;
  if (lifetime !== undefined) ttl = lifetime;
  else if (!HEURISTIC.has(status)) return notStored("status", false);
  else if (cc.has("public")) ttl = route.ttl;
  else return notStored("no-lifetime", true);
  ttl -= ageHeader(headers);
  if (ttl <= 0) return notStored("expired", true);

  // RFC 9111 §4.2.4: must-revalidate / proxy-revalidate forbid serving stale outright. s-maxage implies
  // proxy-revalidate, so it cancels the route's default grace and keep, but an explicit stale-while-revalidate /
  // stale-if-error in the same header is the origin's own, more specific permission and is honoured (RFC 5861).
  const forbidStale = cc.has("must-revalidate") || cc.has("proxy-revalidate");
  const swr = seconds(cc, "stale-while-revalidate");
  const sie = seconds(cc, "stale-if-error");
  const defaultsAllowed = sMaxAge === undefined;
  const grace = forbidStale ? 0 : (swr ?? (defaultsAllowed ? route.grace : 0));
  const keep = forbidStale ? 0 : (sie ?? (defaultsAllowed ? route.keep : 0));
  return { store: true, ttl, grace, keep, tags: parseList(headers.get("cache-tag")) };
}

function notStored(reason: NotStoredReason, hitForPass: boolean): Storability {
  return { store: false, reason, hitForPass };
}

/** Expires − Date (RFC 9111 §4.2.1); an unparseable Expires means "already expired". */
function expiresLifetime(headers: Headers): number | undefined {
  const expires = headers.get("expires");
  if (expires === null) return undefined;
  const exp = httpDate(expires);
  const date = httpDate(headers.get("date") ?? "");
  if (Number.isNaN(exp)) return 0;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.floor((exp - date) / 1000));
}

/** Date.parse alone is lenient ("0" reads as the year 2000); an HTTP-date always carries hh:mm:ss. */
function httpDate(v: string): number {
  return /\d\d:\d\d:\d\d/.test(v) ? Date.parse(v) : Number.NaN;
}

/** Time the response already spent in caches upstream of us counts against its lifetime. */
export function ageHeader(headers: Headers): number {
  const v = headers.get("age");
  return v !== null && /^\d+$/.test(v.trim()) ? Number(v.trim()) : 0;
}
