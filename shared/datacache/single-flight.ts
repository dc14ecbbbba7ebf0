// In-isolate single-flight: concurrent callers for one key share one in-progress promise.

export type SingleFlight = <T>(key: string, run: () => Promise<T>) => Promise<T>;

export function createSingleFlight(): SingleFlight {
  const inflight = new Map<string, Promise<unknown>>();
  return <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const existing = inflight.get(key);
    if (existing) return existing as Promise<T>;
    const promise = (async () => run())().finally(() => inflight.delete(key));
    inflight.set(key, promise);
    return promise;
  };
}
