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

  return {
    get(ctx) {
      const t = now();
      if (held && t - held.at < opts.ttlMs) return Promise.resolve(held.value);
      if (held && ctx) {
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
        return Promise.resolve(held.value);
      }
      return fetchFresh();
    },
    set(value) {
      held = { value, at: now() };
    },
  };
}
