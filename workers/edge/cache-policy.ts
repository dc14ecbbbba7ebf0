// The one per-route cache policy for the site (Varnish's vcl_recv in one typed table); first match wins.
import type { CachePolicy } from "../../shared/cache/index.ts";

export const cachePolicy: CachePolicy = {
  // Lanyrd cached logged-out pages for 60 s; grace covers a refresh, keep covers an origin outage for a day.
  defaults: { ttl: 60, grace: 30, keep: 86_400, hitForPass: 120 },
  routes: [
    { path: "/_admin/**", bypass: true },
    { path: "/healthz", bypass: true },
    { path: "/login", bypass: true },
    { path: "/logout", bypass: true },
    { path: "/me/**", bypass: true },
    { path: "/me", bypass: true },
    { path: "/uploads/**", bypass: true },
    { path: "/_r2/**", bypass: true },
    { path: "/_test/hits/**", bypass: true },
    // Processed upload files never change under a key: cache them long.
    { path: "/media/**", ttl: 86_400, grace: 3_600, keep: 604_800 },
  ],
};
