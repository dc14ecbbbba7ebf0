// How origin pages tell the edge what may be shared: public + tags for anonymous views, private for sessions.
import type { Context } from "hono";
import type { OriginApp } from "./context.ts";

export function sharedPage(c: Context<OriginApp>, tags: string[], ttl = 60): void {
  if (c.get("edge").user) {
    // A signed-in view is personal: never stored by the edge or any shared cache.
    c.header("cache-control", "private, no-store");
    return;
  }
  c.header("cache-control", `public, s-maxage=${ttl}, stale-while-revalidate=30, stale-if-error=86400`);
  c.header("cache-tag", tags.join(","));
}

export function purgeTags(c: Context<OriginApp>, tags: string[]): void {
  // The edge purges these before it answers the writer (see shared/cache), so nobody sees the old page after.
  c.header("x-edge-purge", tags.join(", "));
}
