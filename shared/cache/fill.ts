// One trip to origin for a cacheable key: fetch with a deadline, honour X-Edge-Purge, decide, store.

import { withTimeout } from "../deadline/index.ts";
import { log } from "../log/index.ts";
import { parseCacheControl, parseList } from "./cache-control.ts";
import { BYPASS_COOKIE, originRequest } from "./classify.ts";
import type { HitForPass } from "./hit-for-pass.ts";
import type { BufferedResponse, CachedObject, HotCache } from "./hot-cache.ts";
import { keepKey, keepTag, urlTag } from "./key.ts";
import { deliveryHeaders, type EntryMeta, storedHeaders } from "./meta.ts";
import { type OriginHealth, OriginTimeoutError } from "./origin-health.ts";
import type { RoutePolicy } from "./policy.ts";
import type { Purger } from "./purger.ts";
import { discard, type FailureResponder } from "./respond.ts";
import { ageHeader, storability } from "./storability.ts";
import type { TagIndex } from "./tag-index.ts";

export const BYPASS_SET_COOKIE = `${BYPASS_COOKIE}=1; Max-Age=10; Path=/; HttpOnly; SameSite=Lax`;

export type OriginFetch = (req: Request) => Promise<Response>;

/** What every request waiting on the same fetch may see: plain memory, never a Response tied to one request. */
export type Shared =
  | { readonly type: "stored"; readonly obj: CachedObject; readonly fwdStatus: number }
  | { readonly type: "pass"; readonly detail: string; readonly fwdStatus: number }
  | {
      readonly type: "error";
      readonly detail: "origin-timeout" | "origin-error" | "origin-5xx";
      readonly fwdStatus?: number;
      /** A buffered 5xx that carries nothing personal, so waiters need not each hit a failing origin. */
      readonly obj: BufferedResponse | null;
    };

/** The fetching request also gets the origin Response itself when it is not shareable. */
export interface Filled {
  readonly shared: Shared;
  readonly response?: Response;
}

export interface FillDeps {
  readonly cache: Cache;
  readonly hot: HotCache;
  readonly hfp: HitForPass;
  readonly health: OriginHealth;
  readonly index: TagIndex;
  readonly purger: Purger;
  readonly now: () => number;
  readonly originTimeoutMs: number;
  /** Bumped by every purge: a fetch that started before a purge must not store what it fetched. */
  readonly epoch: () => number;
}

export interface FillJob {
  readonly key: string;
  readonly base: string;
  readonly route: RoutePolicy;
  readonly request: Request;
  readonly fetchOrigin: OriginFetch;
  readonly ctx: ExecutionContext;
  readonly failure?: FailureResponder | undefined;
}

export async function fill(d: FillDeps, job: FillJob): Promise<Filled> {
  const { key, base, route, ctx } = job;
  const epoch = d.epoch();
  const ac = new AbortController();
  let res: Response;
  try {
    res = await withTimeout(
      job.fetchOrigin(originRequest(job.request, base, route, ac.signal)),
      d.originTimeoutMs,
      {
        controller: ac,
        error: () => new OriginTimeoutError(d.originTimeoutMs),
      },
    );
  } catch (e) {
    d.health.failure(d.now());
    return {
      shared: {
        type: "error",
        detail: e instanceof OriginTimeoutError ? "origin-timeout" : "origin-error",
        obj: null,
      },
    };
  }
  const purged = await applyOriginPurge(res, d.purger);
  res = purged.res;

  if (res.status >= 500) {
    d.health.failure(d.now());
    const shareable =
      !res.headers.has("set-cookie") && !parseCacheControl(res.headers.get("cache-control")).has("private");
    if (!shareable)
      return {
        shared: { type: "error", detail: "origin-5xx", fwdStatus: res.status, obj: null },
        response: res,
      };
    const body = await withTimeout(res.arrayBuffer(), d.originTimeoutMs, {
      controller: ac,
      error: () => new OriginTimeoutError(d.originTimeoutMs),
    }).catch(() => null);
    const obj = {
      status: res.status,
      statusText: res.statusText,
      headers: deliveryHeaders(res.headers),
      body,
    };
    return { shared: { type: "error", detail: "origin-5xx", fwdStatus: res.status, obj } };
  }
  d.health.success();
  if (purged.tags) return { shared: { type: "pass", detail: "purge", fwdStatus: res.status }, response: res };

  const s = storability(res, route);
  if (!s.store) {
    if (s.hitForPass) d.hfp.mark(key, route.hitForPass, d.now());
    return { shared: { type: "pass", detail: s.reason, fwdStatus: res.status }, response: res };
  }

  let body: ArrayBuffer | null = null;
  if (res.status !== 204) {
    try {
      body = await withTimeout(res.arrayBuffer(), d.originTimeoutMs, {
        controller: ac,
        error: () => new OriginTimeoutError(d.originTimeoutMs),
      });
    } catch (e) {
      d.health.failure(d.now());
      discard(res);
      return {
        shared: {
          type: "error",
          detail: e instanceof OriginTimeoutError ? "origin-timeout" : "origin-error",
          obj: null,
        },
      };
    }
  }
  const meta: EntryMeta = {
    storedAt: d.now(),
    ttl: s.ttl,
    grace: s.grace,
    keep: s.keep,
    ageAtStore: ageHeader(res.headers),
    tags: [...s.tags, urlTag(base)],
  };
  const stored = storedHeaders(res.headers, meta);
  const obj: CachedObject = {
    status: res.status,
    statusText: res.statusText,
    headers: deliveryHeaders(stored),
    body,
    meta,
  };
  d.hfp.clear(key);
  if (d.epoch() === epoch) {
    d.hot.set(key, obj, meta.storedAt);
    ctx.waitUntil(write(d, key, stored, obj));
  }
  return { shared: { type: "stored", obj, fwdStatus: res.status } };
}

async function write(d: FillDeps, key: string, headers: Headers, obj: CachedObject): Promise<void> {
  const { ttl, grace, keep, tags } = obj.meta;
  const lifetime = ttl + grace + keep;
  try {
    await d.cache.put(
      key,
      new Response(obj.body, { status: obj.status, statusText: obj.statusText, headers }),
    );
    await d.index.add(key, tags, lifetime);
    if (keep > 0) {
      // The keep copy outlives soft purges (its tags differ), for the day the refill after a purge fails.
      const keepTags = tags.map(keepTag);
      const copy = new Headers(headers);
      copy.set("cache-tag", keepTags.join(","));
      await d.cache.put(
        keepKey(key),
        new Response(obj.body, { status: obj.status, statusText: obj.statusText, headers: copy }),
      );
      await d.index.add(keepKey(key), keepTags, lifetime);
    }
  } catch (e) {
    // A failed store costs a later miss, never a wrong answer.
    log.warn("edge cache: store failed", { key, error: e });
  }
}

/**
 * `X-Edge-Purge: tag1, tag2` from origin: purge before answering (the writer must not see the old page),
 * drop the header, and give the writer a short bypass cookie so its next reads skip every cache, including
 * other isolates' hot copies.
 */
export async function applyOriginPurge(
  res: Response,
  purger: Purger,
): Promise<{ res: Response; tags: readonly string[] | null }> {
  const tags = parseList(res.headers.get("x-edge-purge"));
  if (tags.length === 0 || res.status === 101) return { res, tags: null };
  try {
    const r = await purger.purgeTags(tags);
    if (!r.ok) log.warn("edge cache: purge from origin incomplete", { errors: r.errors });
  } catch (e) {
    log.warn("edge cache: purge from origin failed", { error: e });
  }
  const out = new Response(res.body, res);
  out.headers.delete("x-edge-purge");
  out.headers.append("set-cookie", BYPASS_SET_COOKIE);
  return { res: out, tags };
}
