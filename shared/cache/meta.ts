// Grace/keep metadata kept in the stored Response's own headers, because the Cache API stores nothing else.
import { HEADER_PREFIX } from "../site/index.ts";

export interface EntryMeta {
  /** Epoch ms when stored (the engine's clock). */
  readonly storedAt: number;
  readonly ttl: number;
  readonly grace: number;
  readonly keep: number;
  /** Age the response already had when it arrived (upstream caches). */
  readonly ageAtStore: number;
  /** Cache-Tag values plus the page's URL tag. */
  readonly tags: readonly string[];
}

/** fresh → serve; grace → serve stale + refresh in background; keep → only if origin fails; dead → ignore. */
export type Freshness = "fresh" | "grace" | "keep" | "dead";

export function freshness(m: EntryMeta, nowMs: number): Freshness {
  const age = (nowMs - m.storedAt) / 1000;
  if (age < m.ttl) return "fresh";
  if (age < m.ttl + m.grace) return "grace";
  if (age < m.ttl + m.grace + m.keep) return "keep";
  return "dead";
}

const P = HEADER_PREFIX;
const STORED_AT = `${P}stored-at`;
const TTL = `${P}ttl`;
const GRACE = `${P}grace`;
const KEEP = `${P}keep`;
const AGE = `${P}age`;
const CC = `${P}cc`;
const VARY = `${P}vary`;

/** Never stored: hop-by-hop fields, per-hop state, and the origin's purge instruction. */
const DROP_ON_STORE = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "age",
  "set-cookie",
  "x-edge-purge",
  "cache-status",
  "cf-cache-status",
]);

/**
 * The stored copy: the origin's Cache-Control and Vary are parked in internal headers so the Cache API keeps
 * the object for ttl+grace+keep (it knows nothing of grace) and does not vary on its own; Cache-Tag carries every
 * tag so Cloudflare's purge-by-tag reaches the object.
 */
export function storedHeaders(origin: Headers, m: EntryMeta): Headers {
  const out = new Headers();
  for (const [k, v] of origin) if (!DROP_ON_STORE.has(k) && !k.startsWith(P)) out.append(k, v);
  const cc = out.get("cache-control");
  if (cc !== null) out.set(CC, cc);
  const vary = out.get("vary");
  if (vary !== null) out.set(VARY, vary);
  out.delete("vary");
  out.set("cache-control", `public, max-age=${Math.max(1, m.ttl + m.grace + m.keep)}`);
  if (m.tags.length) out.set("cache-tag", m.tags.join(","));
  else out.delete("cache-tag");
  out.set(STORED_AT, String(m.storedAt));
  out.set(TTL, String(m.ttl));
  out.set(GRACE, String(m.grace));
  out.set(KEEP, String(m.keep));
  out.set(AGE, String(m.ageAtStore));
  return out;
}

/** Null when the object was not written by this engine (or its metadata is damaged): treat as a miss. */
export function readMeta(h: Headers): EntryMeta | null {
  const storedAt = num(h.get(STORED_AT));
  const ttl = num(h.get(TTL));
  const grace = num(h.get(GRACE));
  const keep = num(h.get(KEEP));
  if (storedAt === null || ttl === null || grace === null || keep === null) return null;
  const tags = h.get("cache-tag");
  return { storedAt, ttl, grace, keep, ageAtStore: num(h.get(AGE)) ?? 0, tags: tags ? tags.split(",") : [] };
}

function num(v: string | null): number | null {
  if (v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Added by the Cache API or recomputed per delivery; never passed through from storage. */
const DROP_ON_DELIVERY = new Set(["cache-tag", "cf-cache-status", "age"]);

/** What the client sees: internal fields gone, the origin's own Cache-Control and Vary back in place. */
export function deliveryHeaders(stored: Headers): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of stored) {
    if (k === "cache-control" || k === "vary" || DROP_ON_DELIVERY.has(k)) continue;
    if (!k.startsWith(P)) out.push([k, v]);
  }
  const cc = stored.get(CC);
  if (cc !== null) out.push(["cache-control", cc]);
  const vary = stored.get(VARY);
  if (vary !== null) out.push(["vary", vary]);
  return out;
}

/** Strips internal and purge fields from any response (pass or miss) before it reaches a client. */
export function scrubForClient(h: Headers): void {
  const drop: string[] = [];
  for (const k of h.keys()) if (k.startsWith(P) || k === "x-edge-purge" || k === "cache-tag") drop.push(k);
  for (const k of drop) h.delete(k);
}
