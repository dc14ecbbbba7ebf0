// Per-isolate singletons for the edge: created on the first request (env exists only then), reused after.
import { createEdgeCache, type EdgeCache } from "../../shared/cache/index.ts";
import type { EdgeConfig } from "../../shared/env/index.ts";
import { createSnapshotView, type SnapshotReader } from "../../shared/flagstore/index.ts";
import { createIdentityResolver, createRevokedReader, type Identity } from "../../shared/identity/index.ts";
import { log } from "../../shared/log/index.ts";
import type { Refreshing } from "../../shared/memo/index.ts";
import type { ReadOnlyStore } from "../../shared/readonly/index.ts";
import {
  callBoard,
  createLocationCache,
  createSwitchReader,
  OBJECT_READ_TIMEOUT_MS,
  readOnlyStore,
  type SwitchReader,
} from "../../shared/switchboard/index.ts";
import { cachePolicy } from "./cache-policy.ts";
import { originLookup } from "./origin.ts";

export interface EdgeIsolate {
  cache: EdgeCache;
  /** Flags snapshot and read-only state: memory → this location's copy → the switchboard → KV. */
  switches: SwitchReader;
  readOnly: ReadOnlyStore;
  flags: SnapshotReader;
  identity: {
    resolve(sessionId: string, revoked?: ReadonlySet<string>): Promise<Identity | null>;
    forget(sessionId: string): void;
  };
  /** Sessions signed out anywhere in the last minute (shared/identity/revoked.ts). */
  revoked: Refreshing<ReadonlySet<string>>;
}

let isolate: EdgeIsolate | null = null;

export function edgeIsolate(config: EdgeConfig): EdgeIsolate {
  if (isolate) return isolate;
  const { CONFIG: kv } = config.bindings;
  const cloudflare =
    config.CF_ZONE_ID && config.CF_API_TOKEN
      ? { zoneId: config.CF_ZONE_ID, apiToken: config.CF_API_TOKEN }
      : undefined;
  const location = createLocationCache({ cacheMs: config.SWITCH_CACHE_MS, leaseMs: OBJECT_READ_TIMEOUT_MS });
  const board = config.bindings.SWITCHBOARD;
  const switches = createSwitchReader({
    object: () => callBoard(board, (b) => b.read(), OBJECT_READ_TIMEOUT_MS),
    kv,
    location,
    memoryMs: config.SWITCH_MEMORY_MS,
  });
  isolate = {
    switches,
    cache: createEdgeCache({
      cache: caches.default,
      originTimeoutMs: config.ORIGIN_TIMEOUT_MS,
      policy: cachePolicy,
      sessionCookie: config.SESSION_COOKIE,
      // Locally purge-by-tag needs an index of what is stored; in production Cloudflare's API purges by tag.
      tagIndex: cloudflare ? undefined : kv,
      cloudflare,
      // Purges reach every isolate's hot copies with the switches, so those copies may live longer while they do.
      purgesLive: () => switches.purgesLive(),
      announcePurge: (tags) =>
        callBoard(board, (b) => b.notePurge([...tags]), OBJECT_READ_TIMEOUT_MS).catch((error: unknown) => {
          // The purge itself is done; other isolates' hot copies then last their short life (ttlMs) at most.
          log.warn("switchboard.purge_not_announced", { error: String(error) });
        }),
    }),
    readOnly: readOnlyStore(switches, { ns: board, kv, location }),
    flags: createSnapshotView({
      get: async (ctx) => (await switches.get(ctx)).flags,
      peek: (ctx) => switches.peek(ctx)?.flags,
    }),
    identity: createIdentityResolver({ lookup: (sid) => originLookup(config, sid) }),
    revoked: createRevokedReader(kv, { cacheMs: config.SWITCH_MEMORY_MS }),
  };
  return isolate;
}
