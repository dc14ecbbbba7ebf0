// Per-request data layer: replica routing with the reader's read-your-writes token; the token re-issued after
// writes; the request's query and Redis accounting.
import { neonConfig } from "@neondatabase/serverless";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { encodeRedisLog, RedisLog } from "../../../shared/datacache/index.ts";
import {
  createDb,
  createProbe,
  decodeToken,
  encodeQueryLog,
  encodeToken,
  type Probe,
  QueryLog,
  RYW_COOKIE,
  RYW_HEADER,
  replicaName,
  TOKEN_TTL_MS,
  useLocalNeonProxy,
} from "../../../shared/db/index.ts";
import type { OriginConfig } from "../../../shared/env/index.ts";
import type { OriginApp } from "../context.ts";
import { readOnlySwitch } from "../switches.ts";
import { recordWrite } from "./auto-readonly.ts";

// The probe holds only a cache (no connections), so it may live across requests.
let probe: Probe | null = null;

function isolateProbe(config: OriginConfig): Probe {
  probe ??= createProbe({
    primaryUrl: config.DATABASE_URL,
    replicas: config.REPLICA_URLS.map((url, i) => ({ name: replicaName("", i), url })),
  });
  return probe;
}

export function healthProbe(config: OriginConfig): Probe {
  return isolateProbe(config);
}

export const database = createMiddleware<OriginApp>(async (c, next) => {
  const config = c.get("config");
  if (config.NEON_LOCAL_PROXY) useLocalNeonProxy(neonConfig, config.NEON_LOCAL_PROXY);
  const p = isolateProbe(config);
  // The first request of an isolate learns replica health before routing; later ones refresh in the background.
  if (!p.peek()) await p.current().catch(() => null);
  // Defence in depth: the origin checks the switch itself, so a request that slipped past the edge cannot write.
  // Reads may use a copy a few seconds old; a write checks a fresh one (no ctx = load now if the copy is stale).
  const safe = c.req.method === "GET" || c.req.method === "HEAD";
  const readOnlyOn =
    c.get("edge").readOnly || (await readOnlySwitch(config).get(safe ? c.executionCtx : undefined)).on;
  c.set("readOnlyAsked", readOnlyOn);
  const now = Date.now();
  const raw = c.req.header(RYW_HEADER) ?? getCookie(c, RYW_COOKIE);
  const token = await decodeToken(raw, config.edgeKeys, { now });
  const log = new QueryLog({ slowMs: config.SLOW_QUERY_MS });
  const db = createDb({
    primaryUrl: config.DATABASE_URL,
    replicaUrls: config.REPLICA_URLS,
    token,
    forcePrimary: c.get("edge").fresh === true && token === null,
    readOnly: readOnlyOn,
    health: p.source(c.executionCtx),
    accounting: log,
    ctx: c.executionCtx,
    timeouts: { primaryMs: config.DB_TIMEOUT_MS, replicaMs: config.REPLICA_TIMEOUT_MS },
  });
  c.set("db", db);
  c.set("queryLog", log);
  const redisLog = new RedisLog();
  c.set("redisLog", redisLog);
  await next();

  const written = await db.writeToken().catch(() => null);
  c.set("wrote", written !== null);
  if (written) recordWrite(c, undefined);
  if (written) {
    const value = await encodeToken(written, config.edgeKeys);
    c.header(RYW_HEADER, value);
    setCookie(c, RYW_COOKIE, value, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: new URL(c.req.url).protocol === "https:",
      maxAge: Math.floor(TOKEN_TTL_MS / 1000),
    });
  }
  const timing = log.serverTiming();
  if (timing) c.header("server-timing", timing, { append: true });
  if (globalThis.__TEST_HOOKS__ && config.TEST_HOOKS) {
    c.header("x-query-log", encodeQueryLog(log.entries));
    c.header("x-db-routes", JSON.stringify(db.routes()));
    // The origin's own view of the switch (it keeps a copy in memory, like the edge).
    c.header("x-db-read-only", readOnlyOn ? "on" : "off");
    c.header("x-redis-log", encodeRedisLog(redisLog));
  }
});
