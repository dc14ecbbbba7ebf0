// The edge cache engine: Varnish's grace, keep, coalescing, hit-for-pass and purge on top of the Workers Cache API.

import { classifyRequest, type RequestClass } from "./classify.ts";
import { type FillDeps, type Filled, type FillJob, fill, type OriginFetch } from "./fill.ts";
import { type Flight, Flights } from "./flights.ts";
import { HitForPass } from "./hit-for-pass.ts";
import { DEFAULT_HOT, HotCache, type HotOptions } from "./hot-cache.ts";
import { type Inspection, inspectUrl } from "./inspect.ts";
import { baseUrl, cacheKey, keepKey } from "./key.ts";
import { deliveryHeaders, freshness, readMeta } from "./meta.ts";
import { DEFAULT_HEALTH, type HealthOptions, OriginHealth } from "./origin-health.ts";
import { pass } from "./pass.ts";
import { type CachePolicy, compilePolicy, type RoutePolicy } from "./policy.ts";
import { Popularity } from "./popularity.ts";
import type { CloudflarePurgeOptions, PurgeResult } from "./purge-cloudflare.ts";
import { createPurger, type PurgeOptions, type RemotePurge } from "./purger.ts";
import {
  annotate,
  decorate,
  discard,
  type FailureResponder,
  fromCached,
  fromObject,
  fromStored,
  originFailure,
  type StoredMatch,
} from "./respond.ts";
import type { Forward } from "./status.ts";
import { ttlLeft } from "./status.ts";
import { TagIndex } from "./tag-index.ts";

export interface EdgeCacheOptions {
  /** `caches.default` in production; any opened cache in tests. */
  readonly cache: Cache;
  readonly policy: CachePolicy;
  /** Name of the login session cookie: its presence makes a request personal. */
  readonly sessionCookie: string;
  /** Epoch ms; injectable so tests can move time. Timeouts still use real timers. */
  readonly now?: () => number;
  /** Deadline for origin headers (every request) and for reading a storable body. Default 4 s. */
  readonly originTimeoutMs?: number;
  /** In-isolate LRU in front of the Cache API; `{ maxEntries: 0, … }` turns it off. */
  readonly hot?: HotOptions;
  /** "Backend sick" circuit: consecutive failures and cooldown. */
  readonly health?: Partial<HealthOptions>;
  /** Local mode: tag → key index shared between isolates (purge-by-tag without Cloudflare's API). */
  readonly tagIndex?: KVNamespace;
  /** Production mode: purge through Cloudflare's zone API. */
  readonly cloudflare?: CloudflarePurgeOptions;
  /**
   * Whether purges made in other isolates reach this one now (applyPurges is fed): hot copies are then kept for
   * the hot options' liveTtlMs instead of ttlMs.
   */
  readonly purgesLive?: () => boolean;
  /** Tells the other isolates of a purge made here (the tags, URL tags included); must not throw. */
  readonly announcePurge?: (tags: readonly string[]) => Promise<void>;
}

/** A request parsed and classified once, so a caller that needs the verdict too does not pay for it twice. */
export interface PreparedRequest {
  readonly url: URL;
  readonly route: RoutePolicy;
  readonly class: RequestClass;
}

export interface HandleOptions {
  /** prepare()'s answer for this very request. */
  readonly prepared?: PreparedRequest;
  /**
   * Headers every answer carries (lowercase names), set as the response is built: a hot hit then costs one
   * Response and no mutations. `set-cookie` is appended to any the origin sent; these are never stored.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** The page for "origin failed and nothing stored can stand in"; a plain 502/504 by default. */
  readonly failure?: FailureResponder;
  /** Epoch ms by which this request must be answered (a pass gets what is left of it; fills keep their own). */
  readonly deadline?: number;
}

export interface EdgeCache {
  /** Parses and classifies a request as handle() would; `url` when the caller has parsed it already. */
  prepare(request: Request, url?: URL): PreparedRequest;
  /**
   * Serves `request` from cache or origin. `fetchOrigin` receives the sanitised request for cacheable pages and
   * the original one for passes; it may add headers derived only from `keyParts` (they are in the key).
   * `keyParts` split the page into variants, e.g. `{ "flag:new-talk-page": "on" }`.
   */
  handle(
    request: Request,
    ctx: ExecutionContext,
    fetchOrigin: OriginFetch,
    keyParts?: Readonly<Record<string, string>>,
    opts?: HandleOptions,
  ): Promise<Response>;
  /** Soft by default: pages go, their keep copies stay for origin failures. `hard` removes both (legal, privacy). */
  purgeUrls(urls: readonly (string | URL)[], opts?: PurgeOptions): Promise<PurgeResult>;
  purgeTags(tags: readonly string[], opts?: PurgeOptions): Promise<PurgeResult>;
  /** What is stored for a URL's page and its variants (reads only). */
  inspect(url: string | URL): Promise<Inspection>;
  /**
   * Purges made anywhere (oldest first, by stamp): this isolate's hot copies carrying their tags go. Cheap when
   * nothing is new, so callers pass every copy of the list they read. The first call only notes where it starts.
   */
  applyPurges(purges: readonly RemotePurge[] | undefined): void;
}

export function createEdgeCache(opts: EdgeCacheOptions): EdgeCache {
  const match = compilePolicy(opts.policy);
  const now = opts.now ?? Date.now;
  const originTimeoutMs = opts.originTimeoutMs ?? 4_000;
  const hot = new HotCache(opts.hot ?? DEFAULT_HOT, opts.purgesLive);
  const health = new OriginHealth({ ...DEFAULT_HEALTH, ...opts.health });
  const hfp = new HitForPass();
  const popularity = new Popularity();
  const index = new TagIndex(opts.cloudflare ? undefined : opts.tagIndex);
  const flights = new Flights(originTimeoutMs * 2 + 1_000);
  let epoch = 0;

  // A purge (or a look) by URL names the same page the key does, whatever spelling of its query it was given.
  const purgeBase = (url: URL) => baseUrl(url, match(url.pathname).query);
  const purger = createPurger({
    base: purgeBase,
    cache: opts.cache,
    index,
    hot,
    cloudflare: opts.cloudflare,
    invalidate,
    announce: opts.announcePurge,
  });

  function invalidate(): void {
    epoch++;
    flights.clear();
  }

  const deps: FillDeps = {
    cache: opts.cache,
    hot,
    hfp,
    health,
    index,
    purger,
    now,
    originTimeoutMs,
    epoch: () => epoch,
  };

  function startFlight(job: FillJob): Flight {
    return flights.start(job.key, fill(deps, job), job.ctx);
  }

  async function lookup(key: string): Promise<StoredMatch | null> {
    const res = await opts.cache.match(key);
    if (!res) return null;
    const meta = readMeta(res.headers);
    if (meta) return { res, meta };
    discard(res);
    return null;
  }

  /** Turns a fetch outcome into this request's answer; stale is this request's own fallback copy. */
  async function answer(
    job: FillJob,
    filled: Filled | null,
    collapsed: boolean,
    stale: StoredMatch | null,
    fwd: Forward,
    passDetail?: string,
  ): Promise<Response> {
    const head = job.request.method === "HEAD";
    // A waiter that cannot share the leader's answer (personal, or the leader vanished) fetches on its own.
    if (!filled || (collapsed && filled.shared.type === "pass")) {
      filled = await fill(deps, job);
      collapsed = false;
    }
    const out = filled.shared;
    const t = now();
    if (out.type === "stored") {
      discard(stale?.res);
      return fromCached(out.obj, head, t, { fwd, fwdStatus: out.fwdStatus, stored: true, collapsed });
    }
    if (out.type === "pass") {
      discard(stale?.res);
      const res = filled.response;
      if (!res) return originFailure("origin-error", { fwd, detail: "lost-response" }, job.failure);
      return annotate(
        res,
        { fwd, fwdStatus: out.fwdStatus, collapsed, detail: passDetail ?? out.detail },
        head,
      );
    }
    // Origin failed: any copy still within keep beats an error page, and a 5xx never replaced it.
    if (stale) {
      const f = freshness(stale.meta, t);
      if (f === "grace" || f === "keep") {
        discard(filled.response);
        return fromStored(stale, head, t, {
          fwd: "stale",
          fwdStatus: out.fwdStatus,
          ttl: ttlLeft(stale.meta.storedAt, stale.meta.ttl, t),
          collapsed,
          detail: "stale-if-error",
        });
      }
      discard(stale.res);
    } else if (job.route.keep > 0) {
      // Nothing stored under the key: it may have been purged (softly) just before the origin broke. Its keep
      // copy stands in until the keep window ends; it is never served while the origin answers.
      const kept = await lookup(keepKey(job.key));
      if (kept && freshness(kept.meta, t) !== "dead") {
        discard(filled.response);
        return fromStored(kept, head, t, {
          fwd: "stale",
          fwdStatus: out.fwdStatus,
          ttl: ttlLeft(kept.meta.storedAt, kept.meta.ttl, t),
          collapsed,
          detail: "stale-if-error; purged",
        });
      }
      discard(kept?.res);
    }
    const status = { fwd, fwdStatus: out.fwdStatus, collapsed, detail: out.detail };
    if (filled.response) return annotate(filled.response, status, head);
    if (out.obj) return fromObject(out.obj, head, status);
    return originFailure(
      out.detail === "origin-timeout" ? "origin-timeout" : "origin-error",
      status,
      job.failure,
    );
  }

  function prepare(request: Request, url = new URL(request.url)): PreparedRequest {
    const route = match(url.pathname);
    return { url, route, class: classifyRequest(request, route, opts.sessionCookie) };
  }

  async function handle(
    request: Request,
    ctx: ExecutionContext,
    fetchOrigin: OriginFetch,
    keyParts?: Readonly<Record<string, string>>,
    o?: HandleOptions,
  ): Promise<Response> {
    const { url, route, class: cls } = o?.prepared ?? prepare(request);
    const extra = o?.headers;
    if (!cls.cacheable) {
      return decorate(await pass(deps, request, fetchOrigin, cls.reason, o?.failure, o?.deadline), extra);
    }

    const { key, base } = cacheKey(url, route.varyOn, request.headers, keyParts, route.query);
    const head = request.method === "HEAD";
    const t = now();
    const store = route.popularity
      ? popularity.use(key, t, route.popularity.windowSeconds * 1000) >= route.popularity.uses
      : true;
    const obj = hot.get(key, t);
    if (obj) {
      const status = { hit: true, ttl: ttlLeft(obj.meta.storedAt, obj.meta.ttl, t) };
      return fromCached(obj, head, t, status, extra);
    }
    const job: FillJob = { key, base, route, request, fetchOrigin, ctx, failure: o?.failure, store };
    return decorate(await lookupAndFill(job, head, t), extra);
  }

  /** Everything past the hot cache (Cache API, hit-for-pass, grace, coalesced fills). */
  async function lookupAndFill(first: FillJob, head: boolean, t: number): Promise<Response> {
    let job = first;
    const { key, ctx } = job;
    if (hfp.active(key, t)) return answer(job, await fill(deps, job), false, null, "miss", "hit-for-pass");

    let stored = await lookup(key);
    // A fetch may have finished (and filled the hot cache) while this request waited on the Cache API: use it,
    // or a stampede costs a second origin fetch.
    const filledMeanwhile = hot.get(key, now());
    if (filledMeanwhile) {
      discard(stored?.res);
      const t3 = now();
      return fromCached(filledMeanwhile, head, t3, {
        hit: true,
        ttl: ttlLeft(filledMeanwhile.meta.storedAt, filledMeanwhile.meta.ttl, t3),
      });
    }
    if (stored) {
      const t2 = now();
      const f = freshness(stored.meta, t2);
      if (f === "fresh") return serveFresh(key, stored, head, t2);
      const ttl = ttlLeft(stored.meta.storedAt, stored.meta.ttl, t2);
      // A stored page proved popular once: its refreshes store, whatever this window's count says.
      job = { ...job, store: true };
      if (f === "grace") {
        // Exactly one background refresh per key: a flight already under way is that refresh.
        if (!health.sick(t2) && !flights.live(key)) {
          const flight = startFlight(job);
          ctx.waitUntil(flight.leader.then((done) => discard(done.response)).catch(() => {}));
        }
        return fromStored(stored, head, t2, { hit: true, ttl, detail: "stale-while-revalidate" });
      }
      if (f === "keep" && health.sick(t2)) {
        return fromStored(stored, head, t2, { hit: true, ttl, detail: "backend-sick" });
      }
      if (f === "dead") {
        discard(stored.res);
        stored = null;
      }
    }

    const fwd: Forward = stored ? "stale" : "uri-miss";
    const existing = flights.live(key);
    if (!existing) return answer(job, await startFlight(job).leader, false, stored, fwd);
    const shared = await flights.wait(existing);
    // null: the leader crashed or vanished; answer() then fetches for this request alone.
    return answer(job, shared ? { shared } : null, shared !== null, stored, fwd);
  }

  async function serveFresh(key: string, m: StoredMatch, head: boolean, t: number): Promise<Response> {
    const len = Number(m.res.headers.get("content-length") ?? Number.NaN);
    const status = { hit: true, ttl: ttlLeft(m.meta.storedAt, m.meta.ttl, t) };
    if (!head && len >= 0 && hot.admits(len)) {
      const body = await m.res.arrayBuffer();
      const obj = {
        status: m.res.status,
        statusText: m.res.statusText,
        headers: deliveryHeaders(m.res.headers),
        body,
        meta: m.meta,
      };
      hot.set(key, obj, t);
      return fromCached(obj, false, t, status);
    }
    return fromStored(m, head, t, status);
  }

  return {
    prepare,
    handle,
    applyPurges: (purges) => purger.applyRemote(purges),
    purgeUrls: (urls, o) => purger.purgeUrls(urls, o),
    purgeTags: (tags, o) => purger.purgeTags(tags, o),
    inspect: (url) =>
      inspectUrl(
        {
          cache: opts.cache,
          hot,
          index: opts.tagIndex && !opts.cloudflare ? index : null,
          base: purgeBase,
          now,
        },
        new URL(url),
      ),
  };
}
