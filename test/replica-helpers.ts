// Helpers for the data-layer integration tests: routes, cookies, /healthz, replica state, a small worker pool.
import { BYPASS_COOKIE } from "../shared/cache/index.ts";
import type { Healthz as DbHealthz, Route } from "../shared/db/index.ts";
import { eventually, HUMAN, site } from "./helpers.ts";

// The shapes the origin answers with, from the data layer itself (so a change there is a type error here).
export type ReplicaHealth = DbHealthz["replicas"][number];
export type Healthz = DbHealthz & {
  ok: boolean;
  redis: { ok: boolean; configured: boolean };
  queue: { ok: boolean; binding: string };
};

export const SEEDED = "edge-summit-2027";
export const json = { "content-type": "application/json", accept: "application/json" };

export function routesOf(res: Response): Route[] {
  return JSON.parse(res.headers.get("x-db-routes") ?? "[]") as Route[];
}

/** A browser's cookie jar reduced to what it would send back: name=value of every Set-Cookie. */
export function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter(Boolean)
    .join("; ");
}

export function countOn(html: string): number {
  const m = /id="count">(\d+)</.exec(html);
  if (!m?.[1]) throw new Error(`no registration count on the page:\n${html.slice(0, 300)}`);
  return Number(m[1]);
}

export async function healthz(): Promise<{ status: number; body: Healthz }> {
  const { res, body } = await site("/healthz");
  return { status: res.status, body: JSON.parse(body) as Healthz };
}

/** Waits until the origin's probe (it caches ~2 s) reports the replica in the wanted state. */
export function replicaState(check: (r: ReplicaHealth) => boolean, timeoutMs = 15_000) {
  return eventually(
    async () => {
      const { body } = await healthz();
      const replica = body.replicas[0];
      return replica && check(replica) ? replica : undefined;
    },
    timeoutMs,
    250,
  );
}

/**
 * An anonymous read that reaches the origin with no token: the bypass cookie skips the cache (a cacheable
 * refill would carry the edge's recent-write token), so the route shows the plain replica-or-primary choice.
 */
export async function originRead(path = `/events/${SEEDED}`) {
  const r = await site(path, { headers: { cookie: `${BYPASS_COOKIE}=1` } });
  return { status: r.res.status, routes: routesOf(r.res), cacheStatus: r.cacheStatus, body: r.body };
}

export function register(slug: string, init: { email?: string; headers?: Record<string, string> } = {}) {
  return site(`/events/${slug}/register`, {
    method: "POST",
    headers: { ...json, ...init.headers },
    body: JSON.stringify({
      ...HUMAN,
      name: "Replica Test",
      email: init.email ?? `${crypto.randomUUID()}@ryw.test`,
    }),
  });
}

/** Runs `fn` for 0..n-1 with at most `limit` in flight. */
export async function pool<T>(
  n: number,
  limit: number,
  fn: (i: number, lane: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async (_, lane) => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i, lane);
      }
    }),
  );
  return out;
}
