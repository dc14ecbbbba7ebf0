// The edge's view of the rules: KV plus a few seconds of isolate memory, compiled once per version, never throwing.

import { withTimeout } from "../deadline/index.ts";
import { type CompiledFlags, type CompileOptions, compile } from "../flags/index.ts";
import { log } from "../log/index.ts";
import { createRefreshing, type WaitUntil } from "../memo/index.ts";

/** KV key (in the CONFIG namespace) the origin publishes to and the edge reads. It must stay free of DB code. */
export const SNAPSHOT_KEY = "flags:snapshot";

export interface EdgeSnapshot {
  version: string;
  compiled: CompiledFlags;
}

export interface SnapshotReaderOptions {
  /** How long a read is reused before KV is asked again; changes show up within this plus KV's own spread. */
  cacheMs?: number;
  /** A KV read slower than this is abandoned and the last good snapshot used. */
  timeoutMs?: number;
  now?: () => number;
  /** Code-declared defaults (flags not stored yet) passed to compile. */
  compileOptions?: CompileOptions;
  key?: string;
  /** Where failures are reported (once per failing refresh); the logger by default. */
  onError?: (error: unknown) => void;
}

export interface SnapshotReader {
  /** Pass the request's ExecutionContext: a stale snapshot is then served at once and refreshed in its waitUntil. */
  get(ctx?: WaitUntil): Promise<EdgeSnapshot>;
  /** The same without awaiting when no load of this request's own is needed; undefined: call get(). */
  peek(ctx?: WaitUntil): EdgeSnapshot | undefined;
}

/** Version of the snapshot in use before anything was read from KV (code defaults apply). */
export const EMPTY_VERSION = "none";

const warn = (error: unknown): void => log.warn("flags snapshot refresh failed", { error });

/** Create once per isolate (module scope) so the memory cache is shared by its requests. */
export function createSnapshotReader(kv: KVNamespace, opts: SnapshotReaderOptions = {}): SnapshotReader {
  const cacheMs = opts.cacheMs ?? 2000;
  const timeoutMs = opts.timeoutMs ?? 1000;
  const now = opts.now ?? Date.now;
  const key = opts.key ?? SNAPSHOT_KEY;
  const onError = opts.onError ?? warn;
  let current: EdgeSnapshot = {
    version: EMPTY_VERSION,
    compiled: compile({ version: EMPTY_VERSION, flags: {}, segments: {} }, opts.compileOptions),
  };
  let lastText: string | null = null;

  async function refresh(): Promise<EdgeSnapshot> {
    try {
      const text = await withTimeout(kv.get(key), timeoutMs, {
        error: () => new Error(`KV read took longer than ${timeoutMs} ms`),
      });
      // Unchanged text (the usual case) costs a string comparison, not a parse.
      if (text !== null && text !== lastText) {
        const snapshot: unknown = JSON.parse(text);
        const version = (snapshot as { version?: unknown } | null)?.version;
        if (typeof version !== "string") throw new Error("stored snapshot has no version");
        if (version !== current.version)
          current = { version, compiled: compile(snapshot, opts.compileOptions) };
        lastText = text;
      }
      // A missing key keeps what we have: the platform never deletes it, so it means a wrong binding, not "no rules".
    } catch (error) {
      onError(error);
    }
    return current;
  }

  const memo = createRefreshing(refresh, { ttlMs: cacheMs, now });
  return { get: (ctx) => memo.get(ctx), peek: (ctx) => memo.peek(ctx) };
}
