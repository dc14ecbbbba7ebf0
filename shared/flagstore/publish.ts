// Builds the whole snapshot from the stored rows and publishes it to the switchboard (which keeps KV's copy), or to
// KV alone when the switchboard cannot be reached; a snapshot that fails validation is never published.
import { HTTPException } from "hono/http-exception";
import { createSnapshot, type Snapshot, validateSnapshot } from "../flags/index.ts";
import { log } from "../log/index.ts";
import {
  callBoard,
  flagsCopy,
  KV_ONLY_WARNING,
  OBJECT_READ_TIMEOUT_MS,
  OBJECT_WRITE_TIMEOUT_MS,
  type SwitchboardNamespace,
  SwitchboardUnavailable,
  writeFlagsCopy,
} from "../switchboard/index.ts";
import { type PublishedFlags, SNAPSHOT_KEY } from "./edge-snapshot.ts";
import { type PgDb, pgFlagStore } from "./repo.ts";
import { type FlagRow, type FlagStore, splitRows } from "./store.ts";

/** The snapshot for these rows, with its content-hash version, or the validator's messages. */
export async function buildSnapshot(
  rows: readonly Pick<FlagRow, "key" | "doc">[],
): Promise<{ ok: true; snapshot: Snapshot } | { ok: false; problems: string[] }> {
  const { flags, segments } = splitRows(rows);
  const problems = validateSnapshot({ flags, segments });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, snapshot: await createSnapshot(flags, segments) };
}

/** The snapshot the edge evaluates: the switchboard's, or KV's copy when it cannot be reached; null if none. */
export async function readPublished(kv: KVNamespace, board?: SwitchboardNamespace): Promise<PublishedFlags> {
  if (board) {
    try {
      const flags = (await callBoard(board, (b) => b.read(), OBJECT_READ_TIMEOUT_MS)).flags;
      return flags && { version: flags.version, text: flags.text };
    } catch (error) {
      if (!(error instanceof SwitchboardUnavailable)) throw error;
    }
  }
  const copy = flagsCopy(await kv.get(SNAPSHOT_KEY), null);
  return copy && { version: copy.version, text: copy.text };
}

/** The version published (see readPublished); null when nothing was ever published. */
export async function publishedVersion(
  kv: KVNamespace,
  board?: SwitchboardNamespace,
): Promise<string | null> {
  if (board) return (await readPublished(kv, board))?.version ?? null;
  const text = await kv.get(SNAPSHOT_KEY);
  if (text === null) return null;
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === "string" ? version : null;
  } catch {
    return null;
  }
}

export interface PublishOptions {
  /** The switchboard; without one (or when it cannot be reached) the snapshot goes to KV alone. */
  board?: SwitchboardNamespace | undefined;
  /** Who published, for the switchboard's audit trail. */
  actor?: string;
  /** Waits between KV retries; injectable so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
  retries?: number;
}

/** The version now published; `warning` when only KV (the fallback) could take it. */
export type Published = { version: string; warning?: string };

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Writes the snapshot unless KV already holds exactly it; returns whether it wrote. */
export async function writeSnapshot(
  kv: KVNamespace,
  snapshot: Snapshot,
  opts: PublishOptions = {},
): Promise<boolean> {
  const text = JSON.stringify(snapshot);
  if ((await kv.get(SNAPSHOT_KEY)) === text) return false;
  const retries = opts.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    try {
      // Stamped like the switchboard's writes, so readers can tell it from an older copy.
      await writeFlagsCopy(kv, { version: snapshot.version, text, at: Date.now() });
      return true;
    } catch (error) {
      // KV allows about one write per second to a key: two quick admin changes can collide.
      if (attempt >= retries) throw error;
      await (opts.sleep ?? wait)(1100 * (attempt + 1));
    }
  }
}

/** Rows → validated snapshot → switchboard (KV if unreachable). 409 (nothing published) when invalid. */
export async function publishFrom(
  store: FlagStore,
  kv: KVNamespace,
  opts: PublishOptions = {},
): Promise<Published> {
  const built = await buildSnapshot(await store.rows());
  if (!built.ok) {
    throw new HTTPException(409, {
      message: `the stored rules do not form a valid snapshot, so it was not published: ${built.problems.join("; ")}`,
    });
  }
  const { version } = built.snapshot;
  if (opts.board) {
    const flags = { version, text: JSON.stringify(built.snapshot) };
    try {
      const actor = opts.actor ?? "admin";
      await callBoard(opts.board, (b) => b.publishFlags(flags, actor), OBJECT_WRITE_TIMEOUT_MS);
      return { version };
    } catch (error) {
      if (!(error instanceof SwitchboardUnavailable)) throw error;
      log.warn("flags.kv_only", { version, error: error.message });
      await writeSnapshot(kv, built.snapshot, opts);
      return { version, warning: KV_ONLY_WARNING };
    }
  }
  await writeSnapshot(kv, built.snapshot, opts);
  return { version };
}

/** The same from a drizzle database. */
export function publishSnapshot(db: PgDb, kv: KVNamespace, opts: PublishOptions = {}): Promise<Published> {
  return publishFrom(pgFlagStore(db), kv, opts);
}
