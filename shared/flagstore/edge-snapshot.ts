// The edge's view of the rules: the published snapshot from the switchboard reader, compiled once per version,
// never throwing (a snapshot that does not compile leaves the last good one in force).
import { type CompiledFlags, type CompileOptions, compile } from "../flags/index.ts";
import { log } from "../log/index.ts";
import type { WaitUntil } from "../memo/index.ts";

/** KV key of the fallback copy (shared/switchboard/kv-copies.ts). It must stay free of DB code. */
export { SNAPSHOT_KEY } from "../switchboard/index.ts";

export interface EdgeSnapshot {
  version: string;
  compiled: CompiledFlags;
}

/** The published snapshot as the switchboard hands it out: its version and JSON text, null if never published. */
export type PublishedFlags = { version: string; text: string } | null;

/** Where the view reads from: the switchboard reader's flags (shared/switchboard/reader.ts). */
export interface FlagsSource {
  get(ctx?: WaitUntil): Promise<PublishedFlags>;
  /** undefined: nothing loaded yet (call get). */
  peek(ctx?: WaitUntil): PublishedFlags | undefined;
}

export interface SnapshotViewOptions {
  /** Code-declared defaults (flags not stored yet) passed to compile. */
  compileOptions?: CompileOptions;
  /** Where a snapshot that does not compile is reported (once per version); the logger by default. */
  onError?: (error: unknown) => void;
}

export interface SnapshotReader {
  /** Pass the request's ExecutionContext: a stale snapshot is then served at once and refreshed in its waitUntil. */
  get(ctx?: WaitUntil): Promise<EdgeSnapshot>;
  /** The same without awaiting when no load of this request's own is needed; undefined: call get(). */
  peek(ctx?: WaitUntil): EdgeSnapshot | undefined;
}

/** Version of the snapshot in use before anything was published (code defaults apply). */
export const EMPTY_VERSION = "none";

const warn = (error: unknown): void => log.warn("flags snapshot not usable", { error });

/** Create once per isolate (module scope) so the compiled form is shared by its requests. */
export function createSnapshotView(source: FlagsSource, opts: SnapshotViewOptions = {}): SnapshotReader {
  const onError = opts.onError ?? warn;
  let current: EdgeSnapshot = {
    version: EMPTY_VERSION,
    compiled: compile({ version: EMPTY_VERSION, flags: {}, segments: {} }, opts.compileOptions),
  };
  let refused: string | null = null;

  // A new version costs one parse and compile here; every other request reuses the compiled form.
  const view = (flags: PublishedFlags): EdgeSnapshot => {
    if (flags === null || flags.version === current.version || flags.version === refused) return current;
    try {
      const snapshot: unknown = JSON.parse(flags.text);
      if ((snapshot as { version?: unknown } | null)?.version !== flags.version) {
        throw new Error(`stored snapshot does not carry version ${flags.version}`);
      }
      current = { version: flags.version, compiled: compile(snapshot, opts.compileOptions) };
    } catch (error) {
      refused = flags.version;
      onError(error);
    }
    return current;
  };

  return {
    get: async (ctx) => view(await source.get(ctx)),
    peek: (ctx) => {
      const flags = source.peek(ctx);
      return flags === undefined ? undefined : view(flags);
    },
  };
}
