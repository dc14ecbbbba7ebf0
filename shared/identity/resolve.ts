// Edge-side session → identity resolution, cached briefly per isolate so a session costs one origin lookup.
import type { Identity } from "../trust/index.ts";
import { sessionKey } from "./session.ts";

export type { Identity };

interface Entry {
  identity: Identity | null;
  expires: number;
  /** The session's stored key, matched against the revoked list. */
  key: string;
}

export interface IdentityResolverOptions {
  /** Asks the origin who a session belongs to; null when the session is unknown or expired. */
  lookup: (sessionId: string) => Promise<Identity | null>;
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export function createIdentityResolver(opts: IdentityResolverOptions) {
  const ttl = opts.ttlMs ?? 30_000;
  const max = opts.maxEntries ?? 1_000;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();

  async function load(sessionId: string): Promise<Identity | null> {
    const [identity, key] = await Promise.all([opts.lookup(sessionId), sessionKey(sessionId)]);
    if (entries.size >= max) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(sessionId, { identity, expires: now() + ttl, key });
    return identity;
  }

  return {
    // No sharing of in-flight lookups between requests: Workers forbid one request using another's I/O.
    /** `revoked`: session keys signed out elsewhere; a remembered identity on that list is dropped at once. */
    resolve(sessionId: string, revoked?: ReadonlySet<string>): Promise<Identity | null> {
      const hit = entries.get(sessionId);
      if (hit && revoked?.has(hit.key)) {
        entries.delete(sessionId);
        return Promise.resolve(null);
      }
      if (hit && hit.expires > now()) return Promise.resolve(hit.identity);
      return load(sessionId);
    },
    /** After logout or a tag change, so this isolate stops using the old identity at once. */
    forget(sessionId: string): void {
      entries.delete(sessionId);
    },
  };
}
