// Edge-side session → identity resolution, cached briefly per isolate so a session costs one origin lookup.
export interface Identity {
  id: number;
  tags: string[];
  /** Facts about the user the origin hands the edge for flag targeting (site properties such as emailDomain). */
  properties?: Readonly<Record<string, string>>;
}

interface Entry {
  identity: Identity | null;
  expires: number;
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
    const identity = await opts.lookup(sessionId);
    if (entries.size >= max) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(sessionId, { identity, expires: now() + ttl });
    return identity;
  }

  return {
    // No sharing of in-flight lookups between requests: Workers forbid one request using another's I/O.
    resolve(sessionId: string): Promise<Identity | null> {
      const hit = entries.get(sessionId);
      if (hit && hit.expires > now()) return Promise.resolve(hit.identity);
      return load(sessionId);
    },
    /** After logout or a tag change, so this isolate stops using the old identity at once. */
    forget(sessionId: string): void {
      entries.delete(sessionId);
    },
  };
}
