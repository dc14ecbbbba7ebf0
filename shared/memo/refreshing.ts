// A value kept in isolate memory and refreshed in the background, so no request ever awaits another's I/O.
//
// Workers forbid one request from using I/O started by another ("Cannot perform I/O on behalf of a different
// request"), and a request cancelled mid-read would fail everyone awaiting its promise. So: a fresh value is
// served from memory; a stale one is served too while ONE request refreshes it inside its own waitUntil; only a
// request with nothing to serve (the isolate's first) loads for itself.

export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export interface Refreshing<T> {
  get(ctx?: WaitUntil): Promise<T>;
  /**
   * What get() would resolve to without waiting, when that needs no load of this request's own (the value is
   * fresh, or stale and refreshing in `ctx`'s waitUntil); undefined before the first load. Saves hot paths an await.
   */
  peek(ctx?: WaitUntil): T | undefined;
  /** A value known to be current (e.g. just written by this isolate). */
  set(value: T): void;
}

export function createRefreshing<T>(
  load: () => Promise<T>,
  opts: { ttlMs: number; now?: () => number; stuckMs?: number },
): Refreshing<T> {
  const now = opts.now ?? Date.now;
  // A refresh whose request was torn down never settles; after this long another request may try again.
  const stuckMs = opts.stuckMs ?? 10_000;
  let held: { value: T; at: number } | null = null;
  let refreshingSince: number | null = null;

  const fetchFresh = async (): Promise<T> => {
    const value = await load();
    held = { value, at: now() };
    return value;
  };

  /** The held entry when it may be served now (starting ctx's refresh if it is stale); null: load first. */
  const servable = (ctx?: WaitUntil): { value: T } | null => {
    if (held === null) return null;
    const t = now();
    if (t - held.at < opts.ttlMs) return held;
    if (!ctx) return null;
    if (refreshingSince === null || t - refreshingSince > stuckMs) {
      refreshingSince = t;
      ctx.waitUntil(
        fetchFresh()
          .catch(() => undefined)
          .finally(() => {
            refreshingSince = null;
          }),
      );
    }
    return held;
  };

  return {
    get(ctx) {
      const entry = servable(ctx);
      return entry === null ? fetchFresh() : Promise.resolve(entry.value);
    },
    peek: (ctx) => servable(ctx)?.value,
    set(value) {
      held = { value, at: now() };
    },
  };
}
