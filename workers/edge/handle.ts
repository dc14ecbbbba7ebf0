// The edge request pipeline: admin → assets → read-only → identity → flags → cache → origin → banner.
import { ASSET_URL_PREFIX, staleAssetTarget } from "../../shared/assets/index.ts";
import { RYW_HEADER } from "../../shared/db/token.ts";
import { edgeConfig } from "../../shared/env/index.ts";
import { exposedFlags, FLAGS_EXPOSED_HEADER } from "../../shared/flags/exposed.ts";
import { cookieReader, encodeFlags } from "../../shared/flags/index.ts";
import type { Identity } from "../../shared/identity/index.ts";
import { withReadOnlyBanner } from "../../shared/readonly/banner.ts";
import {
  DEFAULT_READ_ONLY_ALLOW_LIST,
  matchesPrefix,
  readOnlyDecision,
} from "../../shared/readonly/policy.ts";
import { readOnlyResponse } from "../../shared/readonly/respond.ts";
import { EDGE_ADMIN_PATHS, edgeAdmin } from "./admin.ts";
import { recordEdgeExposures } from "./exposures.ts";
import { evaluateAtEdge, keyedExposures } from "./flags.ts";
import { edgeIsolate } from "./isolate.ts";
import { fetchOrigin } from "./origin.ts";
import { noteWrite, recentWrite } from "./recent-write.ts";

// While read-only, only the switch and purges may write: other admin writes would be refused by Postgres anyway.
const READ_ONLY_WRITABLE = EDGE_ADMIN_PATHS;

export const ANON_ID_COOKIE = "ep_aid";
const ANON_ID_MAX_AGE = 60 * 60 * 24 * 365;

export async function handle(request: Request, env: EdgeEnv, ctx: ExecutionContext): Promise<Response> {
  const config = edgeConfig(env);
  const isolate = edgeIsolate(config);
  const url = new URL(request.url);
  const path = url.pathname;

  if (path.startsWith("/_admin/") && EDGE_ADMIN_PATHS.some((p) => matchesPrefix(path, p))) {
    return edgeAdmin.fetch(request, env, ctx);
  }
  // Origin-internal endpoints are for the edge's own calls only.
  if (path.startsWith("/_internal/")) return new Response("Not found", { status: 404 });
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
    readOnly.on && !DEFAULT_READ_ONLY_ALLOW_LIST.some((p) => matchesPrefix(path, p))
      ? anonymised(request, config.SESSION_COOKIE)
      : request;

  const cookies = cookieReader(req.headers.get("cookie"));
  const sessionId = cookies(config.SESSION_COOKIE);
  const user: Identity | null = sessionId
    ? await isolate.identity.resolve(sessionId).catch(() => null)
    : null;
  const knownAnonId = user ? null : cookies(ANON_ID_COOKIE);
  const newAnonId = user || knownAnonId ? null : crypto.randomUUID();
  const anonymousId = knownAnonId ?? newAnonId;

  const snapshot = isolate.flags.peek(ctx) ?? (await isolate.flags.get(ctx));
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
  if (newAnonId) {
    headers["set-cookie"] =
      `${ANON_ID_COOKIE}=${newAnonId}; Max-Age=${ANON_ID_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax${url.protocol === "https:" ? "; Secure" : ""}`;
  }

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
        fresh?.token ? { [RYW_HEADER]: fresh.token } : undefined,
      ),
    flags.keyParts,
    { prepared, headers },
  );
  if (!cacheable) {
    const written = out.headers.get(RYW_HEADER);
    if (written) noteWrite(written, now);
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

function missingAsset(path: string): Response {
  // An old hash (a page cached before a deploy) still gets its file; a 404 must not be cached for a year.
  const current = staleAssetTarget(path);
  if (current)
    return new Response(null, { status: 302, headers: { location: current, "cache-control": "no-store" } });
  return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
}
