// One-off requests the benches make around the load: is this URL a cache hit, how often did the origin run.

export interface Probe {
  status: number;
  cacheStatus: string | null;
  setCookie: string | null;
}

export async function probe(url: string, headers: Readonly<Record<string, string>> = {}): Promise<Probe> {
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  return {
    status: res.status,
    cacheStatus: res.headers.get("cache-status"),
    setCookie: res.headers.get("set-cookie"),
  };
}

/** A hit served without a forward to origin (fresh, or stale-while-revalidate) per RFC 9211. */
export function isHit(p: Probe): boolean {
  return p.status === 200 && p.cacheStatus !== null && /;\s*hit\b/.test(p.cacheStatus);
}

export interface OriginStats {
  fetches: number;
  /** identity() RPC calls (signed-in requests the edge could not answer from its memory). */
  lookups: number;
  maxInFlight: number;
  /** When each fetch arrived, in ms since the last reset. */
  startedAt: number[];
}

export async function originStats(origin: URL): Promise<OriginStats> {
  const res = await fetch(new URL("/__stats", origin));
  return (await res.json()) as OriginStats;
}

export async function resetOrigin(origin: URL): Promise<void> {
  await (await fetch(new URL("/__reset", origin), { method: "POST" })).arrayBuffer();
}
