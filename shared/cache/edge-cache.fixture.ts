// Test rig for the engine: a fresh Cache API cache per test, a movable clock and a counting fake origin.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { memoryKV } from "../testing/index.ts";
import { createEdgeCache, type EdgeCache, type EdgeCacheOptions } from "./edge-cache.ts";

export type Handler = (req: Request, n: number) => Response | Promise<Response>;

export interface Rig {
  edge: EdgeCache;
  cache: Cache;
  calls: Request[];
  /** Replace what origin answers from now on. */
  answer(h: Handler): void;
  advance(seconds: number): void;
  now(): number;
  /** One request through the engine, waiting for its background work. */
  get(path: string, init?: RequestInit, keyParts?: Record<string, string>): Promise<Response>;
  /** One request on a caller-owned context (the caller decides when to wait for background work). */
  handle(path: string, ctx: ExecutionContext, init?: RequestInit): Promise<Response>;
  /** Many requests at once; background work awaited after all have answered. */
  burst(n: number, path: string, init?: RequestInit): Promise<Response[]>;
  /**
   * Cache API lookups answered so far. A request that has its answer has led a fetch or joined one, so an origin
   * that waits for the count holds its answer until every request of a burst is waiting on it (no sleeps).
   */
  lookups(): number;
}

export const BASE = "https://events.test";

export async function rig(
  handler: Handler,
  opts: Partial<Omit<EdgeCacheOptions, "now">> = {},
  shared?: { cache?: Cache; start?: number },
): Promise<Rig> {
  let t = shared?.start ?? 1_800_000_000_000;
  let h = handler;
  const calls: Request[] = [];
  const cache = shared?.cache ?? (await caches.open(`t-${crypto.randomUUID()}`));
  let lookups = 0;
  const counted = Object.assign(Object.create(cache) as Cache, {
    match: async (...args: Parameters<Cache["match"]>) => {
      const res = await cache.match(...args);
      lookups++;
      return res;
    },
    put: (...args: Parameters<Cache["put"]>) => cache.put(...args),
    delete: (...args: Parameters<Cache["delete"]>) => cache.delete(...args),
  });
  const edge = createEdgeCache({
    cache: counted,
    policy: { defaults: { ttl: 60, grace: 10, keep: 300 } },
    sessionCookie: "sid",
    originTimeoutMs: 100,
    hot: { maxEntries: 0, maxBytes: 0, ttlMs: 0 },
    ...opts,
    now: () => t,
  });
  const fetchOrigin = async (req: Request) => {
    calls.push(req);
    return h(req, calls.length);
  };
  const one = (
    path: string,
    init: RequestInit | undefined,
    ctx: ExecutionContext,
    parts?: Record<string, string>,
  ) => edge.handle(new Request(BASE + path, init), ctx, fetchOrigin, parts);
  return {
    edge,
    cache,
    calls,
    answer: (next) => {
      h = next;
    },
    advance: (s) => {
      t += s * 1000;
    },
    now: () => t,
    lookups: () => lookups,
    handle: (path, ctx, init) => one(path, init, ctx),
    async get(path, init, keyParts) {
      const ctx = createExecutionContext();
      const res = await one(path, init, ctx, keyParts);
      await waitOnExecutionContext(ctx);
      return res;
    },
    async burst(n, path, init) {
      const ctx = createExecutionContext();
      const all = await Promise.all(Array.from({ length: n }, () => one(path, init, ctx)));
      await waitOnExecutionContext(ctx);
      return all;
    },
  };
}

/** A cacheable page whose body names the call that produced it. */
export function page(cc = "public, max-age=60", extra: Record<string, string> = {}): Handler {
  return (_req, n) =>
    new Response(`page v${n}`, { headers: { "cache-control": cc, "content-type": "text/html", ...extra } });
}

export const status = (res: Response) => res.headers.get("cache-status") ?? "";

/** The tag index's KV in unit tests. */
export const memoryKv = (): KVNamespace => memoryKV();
