// The Worker's vcl_recv: decides whether a request may use the shared cache and builds what origin sees.

import { RYW_HEADER } from "../db/index.ts";
import { cookieName } from "../site/index.ts";
import type { RoutePolicy } from "./policy.ts";

/** Set by the engine on a response that purged, so its writer reads past every cache for a few seconds. */
export const BYPASS_COOKIE = cookieName("bypass");

export type PassReason =
  | "method"
  | "upgrade"
  | "session"
  | "authorization"
  | "route"
  | "bypass-cookie"
  | "read-after";

export type RequestClass =
  | { readonly cacheable: true; readonly anonymous: true }
  | { readonly cacheable: false; readonly anonymous: boolean; readonly reason: PassReason };

const CACHEABLE: RequestClass = Object.freeze({ cacheable: true, anonymous: true });

/**
 * Anonymous = no session cookie and no Authorization. Cacheable = anonymous GET/HEAD on a non-bypassed route
 * without the writer's bypass cookie. Order matters only for the reason reported.
 */
export function classifyRequest(request: Request, route: RoutePolicy, sessionCookie: string): RequestClass {
  // Each header read crosses into the runtime, so every one is read at most once.
  const h = request.headers;
  const cookie = h.get("cookie");
  const authorization = h.has("authorization");
  const anonymous = !authorization && !hasCookie(cookie, sessionCookie);
  const m = request.method;
  if (m !== "GET" && m !== "HEAD") return pass(anonymous, "method");
  if (h.has("upgrade")) return pass(anonymous, "upgrade");
  if (authorization) return pass(false, "authorization");
  if (!anonymous) return pass(false, "session");
  if (route.bypass) return pass(true, "route");
  if (hasCookie(cookie, BYPASS_COOKIE)) return pass(true, "bypass-cookie");
  // An API client's read-your-writes token: it asked to see its own write, so no shared copy will do.
  if (h.has(RYW_HEADER)) return pass(true, "read-after");
  return CACHEABLE;
}

function pass(anonymous: boolean, reason: PassReason): RequestClass {
  return { cacheable: false, anonymous, reason };
}

/** True when the Cookie header carries `name` with a non-empty value (a cleared `sid=` is not a session). */
export function hasCookie(header: string | null, name: string): boolean {
  if (!header || !name) return false;
  let from = 0;
  while (from < header.length) {
    const at = header.indexOf(name, from);
    if (at < 0) return false;
    const before = at === 0 ? 59 : header.charCodeAt(at - 1);
    const end = at + name.length;
    // Whole-name match only: `xsid=` or `sid_old=` must not read as `sid`.
    if ((before === 59 || before === 32 || before === 9) && header.charCodeAt(end) === 61) {
      const c = header.charCodeAt(end + 1);
      if (end + 1 < header.length && c !== 59 && c !== 32) return true;
    }
    from = end;
  }
  return false;
}

/**
 * Tracing headers only; origin must not vary output on them. Everything else is dropped: an unkeyed header that
 * reaches origin (X-Forwarded-Host, Accept, Cookie…) could change a response that is then stored for everyone.
 */
export const FORWARD_ALWAYS: readonly string[] = ["traceparent", "tracestate", "x-request-id", "cf-ray"];

/**
 * The request origin sees for a cacheable page: always GET (HEAD is served from the GET object), the normalised
 * URL (tracking params gone, so origin cannot echo them into a shared page), no cookies at all, and only the
 * route's keyed headers plus tracing. Redirects come back to the cache instead of being followed.
 */
export function originRequest(
  request: Request,
  baseUrl: string,
  route: RoutePolicy,
  signal?: AbortSignal,
): Request {
  const src = request.headers;
  const headers = new Headers();
  for (const name of route.varyOn) {
    const v = src.get(name);
    if (v !== null) headers.set(name, v);
  }
  for (const name of FORWARD_ALWAYS) {
    const v = src.get(name);
    if (v !== null) headers.set(name, v);
  }
  return new Request(baseUrl, { method: "GET", headers, redirect: "manual", signal: signal ?? null });
}
