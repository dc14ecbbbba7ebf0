// Builds the evaluation context cheaply once per request: header and cookie lookups stay lazy.

import { parse } from "hono/utils/cookie";
import type { EvalContext } from "./types.ts";

/**
 * A cookie lookup by name, with hono's parser (it decodes values, ignores malformed pairs, first one wins). Lazy:
 * a request asks for two or three names, so no map of every cookie is built up front.
 */
export function cookieReader(header: string | null | undefined): (name: string) => string | null {
  return (name) => (header && name ? (parse(header, name)[name] ?? null) : null);
}

/** The site's own flag properties: a name, and how to read it from what the caller has (request, user…). */
export type PropertyTable<I> = Readonly<Record<string, (input: I) => string | null | undefined>>;

/** The `properties` reader of an EvalContext: each property is read at most once, and only when a rule asks. */
export function propertyReader<I>(table: PropertyTable<I>, input: I): (name: string) => string | undefined {
  let seen: Map<string, string | undefined> | undefined;
  return (name) => {
    if (!Object.hasOwn(table, name)) return undefined;
    seen ??= new Map();
    if (!seen.has(name)) seen.set(name, table[name]?.(input) ?? undefined);
    return seen.get(name);
  };
}

export interface Identity {
  userId?: string;
  anonymousId?: string;
  tags?: readonly string[];
  tenantId?: string;
}

/**
 * Context from a Request (Cloudflare's `cf.country`, `cf-connecting-ip`) plus who the visitor is. `url`, when the
 * caller has already parsed `request.url`, spares a second parse.
 */
export function contextFromRequest(
  request: Request,
  who: Identity = {},
  now = Date.now(),
  url?: URL,
  properties?: EvalContext["properties"],
): EvalContext {
  const headers = request.headers;
  const cf = (request as { cf?: { country?: unknown } }).cf;
  const country = typeof cf?.country === "string" ? cf.country : (headers.get("cf-ipcountry") ?? undefined);
  const ip = headers.get("cf-connecting-ip") ?? headers.get("x-real-ip") ?? undefined;
  let host: string | undefined;
  try {
    host = (url ?? new URL(request.url)).hostname;
  } catch {
    host = undefined;
  }
  return {
    ...who,
    ip,
    country,
    host,
    headers: (name) => headers.get(name),
    cookies: cookieReader(headers.get("cookie")),
    ...(properties ? { properties } : {}),
    now,
  };
}
