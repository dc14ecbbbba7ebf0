// The read-only switch lives in KV; each isolate caches it briefly so requests don't each pay a KV read.

import * as z from "zod/mini";
import { withTimeout } from "../deadline/index.ts";
import { log as logger } from "../log/index.ts";
import { createRefreshing, type WaitUntil } from "../memo/index.ts";

export type ReadOnlyState = {
  on: boolean;
  reason: string;
  /** Seconds a client should wait before retrying a write; sent as `Retry-After`. */
  retryAfter: number;
  /** ISO time of the last switch, or null if never switched. */
  since: string | null;
  by: string | null;
};

export type ReadOnlyStore = {
  /** Pass the request's ExecutionContext: a stale copy is then served at once and refreshed in its waitUntil. */
  get(ctx?: WaitUntil): Promise<ReadOnlyState>;
  /** The same without awaiting when no load of this request's own is needed; undefined: call get(). */
  peek(ctx?: WaitUntil): ReadOnlyState | undefined;
  set(next: ReadOnlyState): Promise<void>;
};

export type ReadOnlyStoreOptions = {
  /** How long one isolate trusts its copy; bounds how stale a switch looks in this data centre. */
  cacheMs?: number;
  /** A KV read slower than this counts as a failure: a slow KV must not slow every page. */
  timeoutMs?: number;
  now?: () => number;
  log?: (event: string, detail: Record<string, unknown>) => void;
};

export const READ_ONLY_KEY = "readonly";

export const READ_ONLY_OFF: Readonly<ReadOnlyState> = Object.freeze({
  on: false,
  reason: "",
  retryAfter: 300,
  since: null,
  by: null,
});

export const readOnlyStateSchema = z.object({
  on: z.boolean(),
  reason: z.string().check(z.maxLength(500)),
  retryAfter: z.number().check(z.int(), z.gte(1), z.lte(86_400)),
  since: z.nullable(z.string()),
  by: z.nullable(z.string()),
});

/** A missing key means "never switched on"; anything unparsable is reported as null so the caller decides. */
export function parseReadOnlyState(raw: string | null): ReadOnlyState | null {
  if (raw === null) return { ...READ_ONLY_OFF };
  try {
    const parsed = readOnlyStateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const defaultLog = (event: string, detail: Record<string, unknown>) => logger.warn(event, detail);

export function createReadOnlyStore(kv: KVNamespace, options: ReadOnlyStoreOptions = {}): ReadOnlyStore {
  const cacheMs = options.cacheMs ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 1_000;
  const now = options.now ?? Date.now;
  const log = options.log ?? defaultLog;
  let last: ReadOnlyState | null = null;

  async function load(): Promise<ReadOnlyState> {
    // On failure keep serving the last known state (or off) and cache that too, so an outage costs one
    // slow read per cacheMs per isolate rather than one per request.
    const fallback = last ?? { ...READ_ONLY_OFF };
    let state = fallback;
    try {
      const parsed = parseReadOnlyState(
        await withTimeout(kv.get(READ_ONLY_KEY), timeoutMs, {
          error: () => new Error(`KV read timed out after ${timeoutMs} ms`),
        }),
      );
      if (parsed) state = parsed;
      else log("readonly.bad_state", { key: READ_ONLY_KEY, using: fallback.on ? "last_known_on" : "off" });
    } catch (error) {
      log("readonly.kv_error", { error: String(error), using: fallback.on ? "last_known_on" : "off" });
    }
    last = state;
    return state;
  }

  const memo = createRefreshing(load, { ttlMs: cacheMs, now });
  return {
    get: (ctx) => memo.get(ctx),
    peek: (ctx) => memo.peek(ctx),
    async set(next) {
      const state = readOnlyStateSchema.parse(next);
      await kv.put(READ_ONLY_KEY, JSON.stringify(state));
      last = state;
      memo.set(state);
    },
  };
}
