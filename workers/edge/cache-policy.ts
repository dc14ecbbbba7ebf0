// The one per-route cache policy for the site (Varnish's vcl_recv in one typed table); first match wins.
import type { CachePolicy } from "../../shared/cache/index.ts";
// The site's search URL spec only (no database code in the edge bundle).
import { SITE_SEARCH, SITE_SUGGEST } from "../../shared/search/examples/index.ts";
import { canonicalSearch } from "../../shared/search/index.ts";

export const cachePolicy: CachePolicy = {
  // Lanyrd cached logged-out pages for 60 s; grace covers a refresh, keep covers an origin outage for a day.
  defaults: { ttl: 60, grace: 30, keep: 86_400, hitForPass: 120 },
  routes: [
    { path: "/_admin/**", bypass: true },
    // The operations console: personal, and behind Access in production; never stored.
    { path: "/admin", bypass: true },
    { path: "/admin/**", bypass: true },
    { path: "/healthz", bypass: true },
    { path: "/login", bypass: true },
    { path: "/login/**", bypass: true },
    { path: "/_dev/**", bypass: true },
    { path: "/logout", bypass: true },
    { path: "/me/**", bypass: true },
    { path: "/me", bypass: true },
    { path: "/uploads/**", bypass: true },
    { path: "/_r2/**", bypass: true },
    { path: "/_test/hits/**", bypass: true },
    // Processed upload files never change under a key: cache them long.
    { path: "/media/**", ttl: 86_400, grace: 3_600, keep: 604_800 },
    // Searches are a long tail: one key per canonical search (case, spacing, facet order and unknown parameters
    // folded; the personal "mine" facet never in a shared key), stored only from its second request in two
    // minutes, so one-off searches never push popular pages out. Origin sends s-maxage 30 + grace 30.
    {
      path: "/search",
      query: (p) => canonicalSearch(p, SITE_SEARCH, { shared: true }),
      popularity: { uses: 2, windowSeconds: 120 },
      keep: 3_600,
    },
    // Search-as-you-type: every keystroke is a URL; short prefixes are hot, long ones one-offs.
    {
      path: "/search/suggest",
      query: (p) => canonicalSearch(p, SITE_SUGGEST, { shared: true }),
      popularity: { uses: 3, windowSeconds: 60 },
      keep: 3_600,
    },
  ],
};
