// Builds the RFC 9211 Cache-Status header and the Age header for what the edge cache did.

import { CACHE_NAME } from "../site/index.ts";

export { CACHE_NAME };

/** RFC 9211 §2.2 fwd reasons the edge uses. */
export type Forward = "bypass" | "method" | "uri-miss" | "miss" | "stale" | "request";

export interface CacheStatus {
  /** Served from the cache without a forward (RFC 9211 §2.1); a negative ttl then means "served stale". */
  readonly hit?: boolean;
  readonly fwd?: Forward;
  readonly fwdStatus?: number;
  /** Remaining freshness in seconds; negative when stale. */
  readonly ttl?: number;
  readonly stored?: boolean;
  /** This request waited on another request's forward (RFC 9211 §2.6). */
  readonly collapsed?: boolean;
  /** Token naming why: stale-while-revalidate, stale-if-error, backend-sick, hit-for-pass, set-cookie… */
  readonly detail?: string;
}

export function cacheStatus(s: CacheStatus): string {
  let out = CACHE_NAME;
  if (s.hit) out += "; hit";
  if (s.fwd) out += `; fwd=${s.fwd}`;
  if (s.fwdStatus !== undefined) out += `; fwd-status=${s.fwdStatus}`;
  if (s.ttl !== undefined) out += `; ttl=${s.ttl}`;
  if (s.stored) out += "; stored";
  if (s.collapsed) out += "; collapsed";
  if (s.detail) out += `; detail=${token(s.detail)}`;
  return out;
}

/** RFC 9211 detail is a token or a quoted string; quote only when the value is not a token. */
function token(v: string): string {
  return /^[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]*$/.test(v) ? v : JSON.stringify(v);
}

/** RFC 9111 §4.2.3 (simplified for one hop): age at storing plus time resident here, whole seconds. */
export function ageSeconds(storedAtMs: number, nowMs: number, ageAtStore: number): number {
  return ageAtStore + Math.max(0, Math.floor((nowMs - storedAtMs) / 1000));
}

/** Remaining freshness in whole seconds (negative when stale), as Cache-Status reports it. */
export function ttlLeft(storedAtMs: number, ttl: number, nowMs: number): number {
  const left = (storedAtMs + ttl * 1000 - nowMs) / 1000;
  return left >= 0 ? Math.ceil(left) : Math.floor(left);
}
