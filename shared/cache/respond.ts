// Turns cached objects, Cache API matches and origin answers into the Response a client receives.
import type { BufferedResponse, CachedObject } from "./hot-cache.ts";
import { deliveryHeaders, type EntryMeta, scrubForClient } from "./meta.ts";
import { ageSeconds, type CacheStatus, cacheStatus } from "./status.ts";

/** A Cache API match whose metadata has been read. */
export interface StoredMatch {
  readonly res: Response;
  readonly meta: EntryMeta;
}

/** Extra headers for a client response, lowercase names; `set-cookie` adds to the cookies already there. */
export type ExtraHeaders = Readonly<Record<string, string>>;

/** The header block last built for an object, and what it was built for (Age, Cache-Status, extra headers). */
interface BuiltHeaders {
  readonly key: string;
  readonly headers: Headers;
}

// Objects are shared, never mutated, so their header blocks can be too: the block only changes when Age or
// Cache-Status tick over (once a second) or the extra headers change, so nearly every hit reuses it.
const built = new WeakMap<BufferedResponse, BuiltHeaders>();

/**
 * The hot path: no await, the body shared as an ArrayBuffer (never detached by Response), and the headers copied
 * from a ready Headers object, which workerd does several times faster than it converts a list or a record or
 * applies set() calls. Only a Set-Cookie in `extra` (per visitor) is added to each response on its own.
 */
export function fromObject(
  obj: BufferedResponse,
  head: boolean,
  status: CacheStatus,
  age?: number,
  extra?: ExtraHeaders,
): Response {
  const cs = cacheStatus(status);
  let key = `${age ?? ""}\n${cs}`;
  let cookie: string | undefined;
  if (extra) {
    for (const k in extra) {
      if (k === "set-cookie") cookie = extra[k];
      else key += `\n${k}\n${extra[k]}`;
    }
  }
  let block = built.get(obj);
  if (block === undefined || block.key !== key) {
    block = { key, headers: headerBlock(obj, cs, age, extra) };
    built.set(obj, block);
  }
  const res = new Response(head ? null : obj.body, {
    status: obj.status,
    statusText: obj.statusText,
    headers: block.headers,
  });
  if (cookie !== undefined) res.headers.append("set-cookie", cookie);
  return res;
}

function headerBlock(obj: BufferedResponse, cs: string, age?: number, extra?: ExtraHeaders): Headers {
  const headers = new Headers(obj.headers);
  if (age !== undefined) headers.set("age", String(age));
  headers.set("cache-status", cs);
  if (extra) for (const k in extra) if (k !== "set-cookie") headers.set(k, extra[k] as string);
  return headers;
}

export function fromCached(
  obj: CachedObject,
  head: boolean,
  nowMs: number,
  status: CacheStatus,
  extra?: ExtraHeaders,
): Response {
  return fromObject(obj, head, status, ageSeconds(obj.meta.storedAt, nowMs, obj.meta.ageAtStore), extra);
}

/**
 * Adds `extra` to a response on its way out: set, or appended for `set-cookie`. An immutable response (a 101
 * straight from origin) is copied first.
 */
export function decorate(res: Response, extra: ExtraHeaders | undefined): Response {
  if (!extra) return res;
  try {
    addHeaders(res.headers, extra);
    return res;
  } catch {
    const copy = new Response(res.body, res);
    addHeaders(copy.headers, extra);
    return copy;
  }
}

function addHeaders(h: Headers, extra: ExtraHeaders): void {
  for (const k in extra) {
    const v = extra[k] as string;
    if (k === "set-cookie") h.append(k, v);
    else h.set(k, v);
  }
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
export type FailureKind = "origin-timeout" | "origin-error";
/** Builds the page a visitor gets when the origin failed and no stored copy can stand in (status 502/504). */
export type FailureResponder = (kind: FailureKind) => Response;

export function originFailure(kind: FailureKind, status: CacheStatus, make?: FailureResponder): Response {
  const timeout = kind === "origin-timeout";
  const res =
    make?.(kind) ??
    new Response(timeout ? "Gateway Timeout\n" : "Bad Gateway\n", {
      status: timeout ? 504 : 502,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
        "retry-after": "5",
      },
    });
  res.headers.set("cache-status", cacheStatus(status));
  return res;
}

export function discard(res: Response | null | undefined): void {
  if (res?.body && !res.bodyUsed) void res.body.cancel().catch(() => {});
}
