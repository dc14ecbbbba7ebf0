// Source of the tiny Workers the edge benches run beside the real edge: a bare Worker, a stub origin, a Cache API hit.

/** The ceiling: the least a Worker can do per request in this runtime, with a body the size of the stub page. */
export const BARE_WORKER = `
const body = "<!doctype html><title>bench</title>" + "x".repeat(2048);
export default {
  fetch() {
    return new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });
  },
};
`;

/**
 * The origin behind the edge: a constant page, optionally slow, counting its fetches. Its own socket answers
 * GET /__stats (counts since the last POST /__reset) so the bench can read them from Node. Paths under /short/
 * get SHORT_CACHE_CONTROL, so one stack serves both long-lived and quickly expiring pages. Its identity() RPC
 * answers as the real origin does for a known session (a user with no tags), so signed-in requests work.
 */
export const ORIGIN_STUB_WORKER = `
import { WorkerEntrypoint } from "cloudflare:workers";
const body = "<!doctype html><title>bench</title>" + "x".repeat(2048);
let fetches = 0;
let inFlight = 0;
let maxInFlight = 0;
let since = Date.now();
let startedAt = [];
let lookups = 0;
export default class extends WorkerEntrypoint {
  async identity(sessionId) {
    lookups++;
    return { user: { id: 1 + (sessionId.charCodeAt(0) % 1000), tags: [] } };
  }
  async fetch(request) {
    const env = this.env;
    const url = new URL(request.url);
    if (url.pathname === "/__stats") return Response.json({ fetches, maxInFlight, startedAt, lookups });
    if (url.pathname === "/__reset") {
      fetches = 0;
      maxInFlight = 0;
      since = Date.now();
      startedAt = [];
      lookups = 0;
      return Response.json({ ok: true });
    }
    fetches++;
    // workerd's clock only moves on I/O, which is fine here: the fetch itself is the I/O event being timed.
    startedAt.push(Date.now() - since);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const delay = Number(env.DELAY_MS);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    } finally {
      inFlight--;
    }
    return new Response(body, {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": url.pathname.startsWith("/short/") ? env.SHORT_CACHE_CONTROL : env.CACHE_CONTROL,
        "cache-tag": "page,bench",
      },
    });
  }
}
`;

/** A minimal Cache API hit: what a Worker that only uses caches.default can reach here. */
export const CACHE_API_WORKER = `
const body = "<!doctype html><title>bench</title>" + "x".repeat(2048);
export default {
  async fetch(request, env, ctx) {
    const key = new Request(new URL(request.url).origin + "/page");
    const hit = await caches.default.match(key);
    if (hit) return hit;
    const res = new Response(body, {
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, max-age=600" },
    });
    ctx.waitUntil(caches.default.put(key, res.clone()));
    return res;
  },
};
`;

/**
 * The floor for a mixed load: the least any edge cache in front of ORIGIN must do here. A page held in memory
 * is a hit with no other work; a page not held is read from the Cache API, or fetched from ORIGIN and put there
 * once; a request with a session cookie goes to ORIGIN. No key normalisation, flags, identity, grace or keep
 * copies: what the edge spends above this is its own.
 */
export const FLOOR_WORKER = `
const held = new Map();
const hitHeaders = (headers) => [...headers, ["cache-status", "floor; hit"]];
export default {
  async fetch(request, env, ctx) {
    if ((request.headers.get("cookie") ?? "").includes("sid=")) return env.ORIGIN.fetch(request);
    const url = new URL(request.url);
    const key = url.origin + url.pathname;
    const page = held.get(key);
    if (page) return new Response(page.body, { headers: hitHeaders(page.headers) });
    const stored = await caches.default.match(key);
    if (stored) {
      const copy = { body: await stored.arrayBuffer(), headers: [...stored.headers] };
      held.set(key, copy);
      return new Response(copy.body, { headers: hitHeaders(copy.headers) });
    }
    const res = await env.ORIGIN.fetch(request);
    const copy = { body: await res.arrayBuffer(), headers: [...res.headers] };
    held.set(key, copy);
    ctx.waitUntil(caches.default.put(key, new Response(copy.body, { headers: copy.headers })));
    return new Response(copy.body, { status: res.status, headers: [...copy.headers, ["cache-status", "floor; fwd=uri-miss"]] });
  },
};
`;
