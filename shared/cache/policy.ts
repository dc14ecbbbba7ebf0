// The per-route cache policy (one typed config) and its path matcher, compiled once per isolate.

import type { QueryCanon } from "./key.ts";

/** What the cache does for one route. Times are in seconds. */
export interface RoutePolicy {
  /** Lifetime when the origin says `public` without one (Varnish's default_ttl). */
  readonly ttl: number;
  /** Serve stale while ONE background fetch refreshes (stale-while-revalidate), unless the origin says otherwise. */
  readonly grace: number;
  /** Serve stale when the origin fails (stale-if-error), unless the origin says otherwise. */
  readonly keep: number;
  /** How long an uncacheable answer sends a key straight to origin without coalescing. */
  readonly hitForPass: number;
  /** Request headers (lowercase) that split the cache key and are forwarded to origin. */
  readonly varyOn: readonly string[];
  /** Never cache this route (everything passes to origin untouched). */
  readonly bypass: boolean;
  /**
   * The route's canonical query string, for the key and for what origin sees (by default: the query sorted,
   * tracking parameters removed). Origin must answer the canonical URL as it would the original.
   */
  readonly query: QueryCanon | null;
  /**
   * Store a page only once this isolate has seen its key `uses` times within `windowSeconds` (cache on the
   * Nth request): a long tail of one-off URLs (searches) is fetched but never fills the cache. Pages already
   * stored refresh as usual. Off when null.
   */
  readonly popularity: { readonly uses: number; readonly windowSeconds: number } | null;
}

export interface RouteRule extends Partial<RoutePolicy> {
  /**
   * Path pattern: `/` exact, `*` one non-empty segment, a trailing `/**` any rest (including none:
   * `/admin/**` matches `/admin`). First matching rule wins.
   */
  readonly path: string;
}

/** The whole edge cache configuration: defaults plus ordered route rules. */
export interface CachePolicy {
  readonly defaults?: Partial<RoutePolicy>;
  readonly routes?: readonly RouteRule[];
}

/** Varnish ships grace 10 s / keep 0; a longer keep is what lets a sick backend fall back to old pages. */
export const DEFAULT_ROUTE_POLICY: RoutePolicy = {
  ttl: 60,
  grace: 10,
  keep: 21_600,
  hitForPass: 120,
  varyOn: [],
  bypass: false,
  query: null,
  popularity: null,
};

export type RouteMatcher = (pathname: string) => RoutePolicy;

/** Compiles the patterns to one RegExp each and resolves every rule against the defaults up front. */
export function compilePolicy(policy: CachePolicy): RouteMatcher {
  const base = resolve(DEFAULT_ROUTE_POLICY, policy.defaults ?? {});
  const rules = (policy.routes ?? []).map((rule) => ({
    prefix: literalPrefix(rule.path),
    re: patternToRegExp(rule.path),
    route: resolve(base, rule),
  }));
  // Runs on every request: a cheap prefix test rules most patterns out before their RegExp runs.
  return (pathname) => {
    for (const r of rules) if (pathname.startsWith(r.prefix) && r.re.test(pathname)) return r.route;
    return base;
  };
}

/** Per-user headers: keying on them would either leak sessions into the key or shatter it; flags use keyParts. */
const UNKEYABLE = new Set(["cookie", "authorization", "set-cookie"]);

function resolve(base: RoutePolicy, over: Partial<RoutePolicy>): RoutePolicy {
  for (const h of over.varyOn ?? []) {
    if (UNKEYABLE.has(h.toLowerCase())) throw new Error(`cache policy: varyOn may not include "${h}"`);
  }
  return Object.freeze({
    ttl: nonNegative(over.ttl ?? base.ttl),
    grace: nonNegative(over.grace ?? base.grace),
    keep: nonNegative(over.keep ?? base.keep),
    hitForPass: nonNegative(over.hitForPass ?? base.hitForPass),
    varyOn: Object.freeze([...new Set((over.varyOn ?? base.varyOn).map((h) => h.toLowerCase()))].sort()),
    bypass: over.bypass ?? base.bypass,
    query: over.query === undefined ? base.query : over.query,
    popularity: popularity(over.popularity === undefined ? base.popularity : over.popularity),
  });
}

function popularity(p: RoutePolicy["popularity"]): RoutePolicy["popularity"] {
  if (p === null) return null;
  const uses = nonNegative(p.uses);
  return uses <= 1 ? null : Object.freeze({ uses, windowSeconds: Math.max(1, nonNegative(p.windowSeconds)) });
}

function nonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** The text every match must start with: the pattern up to its first wildcard (`/a/**` also matches `/a`). */
function literalPrefix(pattern: string): string {
  const rest = pattern.endsWith("/**") ? pattern.slice(0, -3) : pattern;
  const star = rest.indexOf("*");
  return star < 0 ? rest : rest.slice(0, star);
}

export function patternToRegExp(pattern: string): RegExp {
  if (!pattern.startsWith("/")) throw new Error(`cache policy: path pattern must start with "/": ${pattern}`);
  let rest = pattern;
  let tail = "";
  if (rest.endsWith("/**")) {
    rest = rest.slice(0, -3);
    tail = "(?:/.*)?";
  }
  const body = rest
    .split("/")
    .map((seg) => (seg === "*" ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${body}${tail}$`);
}
