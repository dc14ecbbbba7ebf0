// Turns cached objects, Cache API matches and origin answers into the Response a client receives.
import type { BufferedResponse, CachedObject } from "./hot-cache.ts";
import { deliveryHeaders, type EntryMeta, scrubForClient } from "./meta.ts";
import { ageSeconds, type CacheStatus, cacheStatus } from "./status.ts";

/** A Cache API match whose metadata has been read. */
export interface StoredMatch {
  readonly res: Response;
  readonly meta: EntryMeta;
}

/** The hot path: one Headers copy, no await, the body shared as an ArrayBuffer (never detached by Response). */
export function fromObject(
  obj: BufferedResponse,
  head: boolean,
  status: CacheStatus,
  age?: number,
): Response {
  const headers = new Headers(obj.headers);
  if (age !== undefined) headers.set("age", String(age));
  headers.set("cache-status", cacheStatus(status));
  return new Response(head ? null : obj.body, { status: obj.status, statusText: obj.statusText, headers });
}

export function fromCached(obj: CachedObject, head: boolean, nowMs: number, status: CacheStatus): Response {
  return fromObject(obj, head, status, ageSeconds(obj.meta.storedAt, nowMs, obj.meta.ageAtStore));
}

/** Streams a Cache API object to the client without buffering it. */
export function fromStored(m: StoredMatch, head: boolean, nowMs: number, status: CacheStatus): Response {
  const headers = new Headers(deliveryHeaders(m.res.headers));
  headers.set("age", String(ageSeconds(m.meta.storedAt, nowMs, m.meta.ageAtStore)));
  headers.set("cache-status", cacheStatus(status));
  if (head) void m.res.body?.cancel();
  return new Response(head ? null : m.res.body, {
    status: m.res.status,
    statusText: m.res.statusText,
    headers,
  });
}

/** An origin answer passed through: internal and purge headers removed, Cache-Status added. */
export function annotate(res: Response, status: CacheStatus, head = false): Response {
  // 101 carries the WebSocket; re-wrapping it would lose the socket.
  if (res.status === 101) return res;
  const out = new Response(head ? null : res.body, res);
  if (head) void res.body?.cancel();
  scrubForClient(out.headers);
  out.headers.set("cache-status", cacheStatus(status));
  return out;
}

/** What a visitor sees when origin failed and no copy was within keep. No internals leak into the body. */
export function originFailure(kind: "origin-timeout" | "origin-error", status: CacheStatus): Response {
  const timeout = kind === "origin-timeout";
  return new Response(timeout ? "Gateway Timeout\n" : "Bad Gateway\n", {
    status: timeout ? 504 : 502,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      "retry-after": "5",
      "cache-status": cacheStatus(status),
    },
  });
}

export function discard(res: Response | null | undefined): void {
  if (res?.body && !res.bodyUsed) void res.body.cancel().catch(() => {});
}
