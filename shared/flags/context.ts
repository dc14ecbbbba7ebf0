// Builds the evaluation context cheaply once per request: header and cookie lookups stay lazy.

import type { EvalContext } from "./types.ts";

/** A cookie lookup that parses the Cookie header on first use only. */
export function cookieReader(header: string | null | undefined): (name: string) => string | null {
  let jar: Map<string, string> | null = null;
  return (name) => {
    if (!header) return null;
    if (jar === null) {
      jar = new Map();
      for (const pair of header.split(";")) {
        const eq = pair.indexOf("=");
        if (eq < 0) continue;
        const key = pair.slice(0, eq).trim();
        let value = pair.slice(eq + 1).trim();
        if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
        // The first occurrence wins, as browsers send the most specific cookie first.
        if (key && !jar.has(key)) jar.set(key, value);
      }
    }
    return jar.get(name) ?? null;
  };
}

export interface Identity {
  userId?: string;
  anonymousId?: string;
  tags?: readonly string[];
  tenantId?: string;
}

/** Context from a Request (Cloudflare's `cf.country`, `cf-connecting-ip`) plus who the visitor is. */
export function contextFromRequest(request: Request, who: Identity = {}, now = Date.now()): EvalContext {
  const headers = request.headers;
  const cf = (request as { cf?: { country?: unknown } }).cf;
  const country = typeof cf?.country === "string" ? cf.country : (headers.get("cf-ipcountry") ?? undefined);
  const ip = headers.get("cf-connecting-ip") ?? headers.get("x-real-ip") ?? undefined;
  let host: string | undefined;
  try {
    host = new URL(request.url).hostname;
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
    now,
  };
}
