// The edge request pipeline: admin → assets → read-only → identity → flags → cache → origin → banner.

import { ASSET_URL_PREFIX, staleAssetTarget } from "../../shared/assets/index.ts";
import type { FailureKind } from "../../shared/cache/index.ts";
import { CONSOLE_PATH, CONSOLE_READ_ONLY_PATH } from "../../shared/console/index.ts";
import { RYW_HEADER } from "../../shared/db/index.ts";
import { withTimeout } from "../../shared/deadline/index.ts";
import { edgeConfig } from "../../shared/env/index.ts";
import { cookieReader, encodeFlags, exposedFlags, FLAGS_EXPOSED_HEADER } from "../../shared/flags/index.ts";
import { BodyTooLarge, canonicalPath, problemResponse, readBounded } from "../../shared/http/index.ts";
import { type Identity, SESSION_ENDED_HEADER } from "../../shared/identity/index.ts";
import { log } from "../../shared/log/index.ts";
import {
  DEFAULT_READ_ONLY_ALLOW_LIST,
  matchesPrefix,
  readOnlyDecision,
  readOnlyResponse,
  withReadOnlyBanner,
} from "../../shared/readonly/index.ts";
import { EDGE_ADMIN_PATHS, edgeAdmin } from "./admin.ts";
import { ANON_ID_COOKIE, anonIdCookie } from "./anon-id.ts";
import { recordEdgeExposures } from "./exposures.ts";
import { evaluateAtEdge, keyedExposures } from "./flags.ts";
import { edgeIsolate } from "./isolate.ts";
import { fetchOrigin } from "./origin.ts";
import { noteWrite, recentWrite } from "./recent-write.ts";
import { REQUEST_ID_HEADER, requestIds } from "./request-id.ts";

// While read-only, only the switch and purges may write: other admin writes would be refused by Postgres anyway.
const READ_ONLY_WRITABLE = [...EDGE_ADMIN_PATHS, CONSOLE_READ_ONLY_PATH];
// While read-only, these keep who is asking (everyone else gets the anonymous view): the console must know its staff.
const READ_ONLY_IDENTIFIED = [...DEFAULT_READ_ONLY_ALLOW_LIST, CONSOLE_PATH];

/** Forms and JSON only: uploads go straight to R2 with a presigned URL. */
const MAX_BODY_BYTES = 1024 * 1024;

export async function handle(
  incoming: Request,
  env: EdgeEnv,
  ctx: ExecutionContext,
  // The entry's, so an error page it shows quotes the same id.
  ids = requestIds(incoming),
): Promise<Response> {
  const config = edgeConfig(env);
  const isolate = edgeIsolate(config);
  // One deadline for the whole request: the identity lookup and the origin share it, so neither can stretch it.
  const deadline = Date.now() + config.ORIGIN_TIMEOUT_MS;
  const url = new URL(incoming.url);
  // Route on the canonical path and forward only that (the origin refuses anything else): no encoding can
  // reach a route here under one name and the origin's router under another.
  const checked = canonicalPath(url.pathname);
  if (!checked.ok) return badPath(incoming, checked.reason);
  let request = incoming;
  if (checked.path !== url.pathname) {
    url.pathname = checked.path;
    request = new Request(url, incoming);
  }
  // Bodies are read here, bounded (files go straight to R2, never through the Workers): a huge body is refused
  // at once, and the origin can answer early without leaving a half-read stream behind.
  if (request.body) {
    let body: ArrayBuffer | null;
    try {
      body = await readBounded(request, MAX_BODY_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLarge) return tooLarge(request);
      throw e;
    }
    request = new Request(url, {
      method: request.method,
      headers: request.headers,
      body,
      redirect: request.redirect,
    });
  }
  const path = url.pathname;

  if (path.startsWith("/_admin/") && EDGE_ADMIN_PATHS.some((p) => matchesPrefix(path, p))) {
    return edgeAdmin.fetch(request, env, ctx);
  }
  // Existing hashed files are served by Static Assets before the Worker runs; only misses reach here.
  if (path.startsWith(ASSET_URL_PREFIX)) return missingAsset(path);

  // Reads: peek() (no await while the isolate's copy is usable, refreshed in the background). Writes check a copy
  // that is fresh, loading it now if needed, so a write never slips through on a stale "off".
  const safe = request.method === "GET" || request.method === "HEAD";
  const readOnly = safe
    ? (isolate.readOnly.peek(ctx) ?? (await isolate.readOnly.get(ctx)))
    : await isolate.readOnly.get();
  if (readOnly.on && readOnlyDecision(request.method, path, readOnly, READ_ONLY_WRITABLE) === "block") {
    return readOnlyResponse(request, readOnly);
  }
  // While read-only, everyone gets the anonymous (cached) view, except on the allow-list.
  const req =
    readOnly.on && !READ_ONLY_IDENTIFIED.some((p) => matchesPrefix(path, p))
      ? anonymised(request, config.SESSION_COOKIE)
      : request;

  const cookies = cookieReader(req.headers.get("cookie"));
  const sessionId = cookies(config.SESSION_COOKIE);
  let user: Identity | null = null;
  if (sessionId) {
    try {
      const ms = Math.min(config.IDENTITY_TIMEOUT_MS, deadline - Date.now());
      const revoked = isolate.revoked.peek(ctx) ?? (await withTimeout(isolate.revoked.get(ctx), ms));
      user = await withTimeout(isolate.identity.resolve(sessionId, revoked), ms);
    } catch {
      // Who this is cannot be checked right now (origin or database down). A page can still be shown as to
      // anyone; a change cannot be made on behalf of someone unknown.
      if (!safe) return unavailable(req, ids.get(), "We could not check your sign-in just now.");
    }
  }
  // Switched off, nobody gets an id (a site that asks for consent first): rollouts stick by session only.
  const anonIds = config.ANONYMOUS_ID === "on";
  const knownAnonId = user || !anonIds ? null : cookies(ANON_ID_COOKIE);
  const newAnonId = user || knownAnonId || !anonIds ? null : crypto.randomUUID();
  const anonymousId = knownAnonId ?? newAnonId;

  const snapshot = isolate.flags.peek(ctx) ?? (await isolate.flags.get(ctx));
  // Purges made at other isolates since the last request: their hot copies go before this one is answered.
  isolate.cache.applyPurges(isolate.switches.peek(ctx)?.purges);
  const flags = evaluateAtEdge(snapshot.compiled, req, { user, anonymousId }, url, config.ENVIRONMENT);
  // Parsed and classified once, here; the cache engine reuses both.
  const prepared = isolate.cache.prepare(req, url);
  const cacheable = prepared.class.cacheable;
  const now = Date.now();
  const issuedAt = Math.floor(now / 1000);
  const fresh = cacheable ? recentWrite(now) : null;

  // Built into the response as the cache makes it (a hot hit then needs no header mutation). The id cookie is
  // added after the cache, never stored: it only makes rollouts sticky for this visitor.
  const headers: Record<string, string> = { "x-flags-version": snapshot.version };
  if (newAnonId) headers["set-cookie"] = anonIdCookie(newAnonId, url.protocol === "https:");

  const out = await isolate.cache.handle(
    req,
    ctx,
    (originReq) =>
      fetchOrigin(
        config,
        originReq,
        // A cacheable request tells the origin nothing personal: its page may depend on the cache key only.
        cacheable
          ? {
              user: null,
              anonymousId: null,
              flags: encodeFlags(flags.keyed, issuedAt),
              flagsVersion: snapshot.version,
              readOnly: readOnly.on,
              fresh: fresh !== null && fresh.token === null,
            }
          : {
              user,
              anonymousId,
              flags: encodeFlags(flags.all, issuedAt),
              flagsVersion: snapshot.version,
              readOnly: readOnly.on,
            },
        { [REQUEST_ID_HEADER]: ids.get(), ...(fresh?.token ? { [RYW_HEADER]: fresh.token } : {}) },
      ),
    flags.keyParts,
    { prepared, headers, deadline, failure: (kind) => originFailed(req, ids.get(), kind) },
  );
  if (!cacheable) {
    const written = out.headers.get(RYW_HEADER);
    if (written) noteWrite(written, now);
    if (sessionId && out.headers.has(SESSION_ENDED_HEADER)) {
      isolate.identity.forget(sessionId);
      out.headers.delete(SESSION_ENDED_HEADER);
    }
  }

  // One line for every answer that was not a hit (hits are the cheap path and stay unlogged): the edge's view of
  // the request with the origin's timing; the origin's own line (same requestId) has its queries in detail.
  const cacheStatus = out.headers.get("cache-status") ?? "";
  if (!/;\s*hit\b/.test(cacheStatus)) {
    log.info("request", {
      requestId: ids.get(),
      method: request.method,
      path,
      status: out.status,
      cache: cacheStatus,
      ms: Date.now() - (deadline - config.ORIGIN_TIMEOUT_MS),
      // The origin's database time per pool (its Server-Timing), so this one line tells where the time went.
      timing: out.headers.get("server-timing") ?? undefined,
      flags: snapshot.version,
      signedIn: user !== null,
    });
  }

  const exposedHeader = out.headers.get(FLAGS_EXPOSED_HEADER);
  if (exposedHeader !== null) {
    out.headers.delete(FLAGS_EXPOSED_HEADER);
    const subject = user ? String(user.id) : anonymousId;
    if (subject && out.status === 200) {
      const exposed = keyedExposures(flags, exposedFlags(exposedHeader));
      if (exposed.length > 0) recordEdgeExposures(config, ctx, subject, exposed);
    }
  }
  return readOnly.on ? withReadOnlyBanner(out, readOnly) : out;
}

function anonymised(request: Request, sessionCookie: string): Request {
  const headers = new Headers(request.headers);
  headers.delete("authorization");
  const cookie = headers.get("cookie");
  if (cookie) {
    const kept = cookie
      .split(";")
      .map((c) => c.trim())
      .filter((c) => c && !c.startsWith(`${sessionCookie}=`));
    if (kept.length > 0) headers.set("cookie", kept.join("; "));
    else headers.delete("cookie");
  }
  return new Request(request, { headers });
}

function badPath(request: Request, reason: string): Response {
  return problemResponse(request.headers.get("accept"), {
    status: 400,
    code: "bad_request",
    title: "That address is not valid",
    message: `This address cannot be served: ${reason}.`,
  });
}

function tooLarge(request: Request): Response {
  return problemResponse(request.headers.get("accept"), {
    status: 413,
    code: "too_large",
    title: "Too large",
    message: `The request body is over ${MAX_BODY_BYTES / 1024} KiB. Files are uploaded directly, not through the site.`,
  });
}

function unavailable(request: Request, requestId: string, message: string): Response {
  return problemResponse(request.headers.get("accept"), {
    status: 503,
    code: "unavailable",
    title: "Temporarily unavailable",
    message,
    requestId,
    retryAfter: 5,
    retrySafe: true,
  });
}

function originFailed(request: Request, requestId: string, kind: FailureKind): Response {
  const timeout = kind === "origin-timeout";
  const safe = request.method === "GET" || request.method === "HEAD";
  return problemResponse(request.headers.get("accept"), {
    status: timeout ? 504 : 502,
    code: timeout ? "timeout" : "unavailable",
    title: timeout ? "That took too long" : "Temporarily unavailable",
    message: timeout
      ? "The site did not answer in time. It may be busy or partly down."
      : "The site could not answer this request right now.",
    requestId,
    retryAfter: 5,
    retrySafe: !safe,
  });
}

function missingAsset(path: string): Response {
  // An old hash (a page cached before a deploy) still gets its file; a 404 must not be cached for a year.
  const current = staleAssetTarget(path);
  if (current)
    return new Response(null, { status: 302, headers: { location: current, "cache-control": "no-store" } });
  return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
}
