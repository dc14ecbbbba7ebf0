// Builds the whole snapshot from the stored rows and publishes it to KV; a snapshot that fails validation never is.
import { HTTPException } from "hono/http-exception";
import { createSnapshot, type Snapshot, validateSnapshot } from "../flags/index.ts";
import { SNAPSHOT_KEY } from "./edge-snapshot.ts";
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

/** The version currently in KV, or null when nothing was ever published. */
export async function publishedVersion(kv: KVNamespace): Promise<string | null> {
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
  /** Waits between retries; injectable so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
  retries?: number;
}

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
      await kv.put(SNAPSHOT_KEY, text, { metadata: { version: snapshot.version } });
      return true;
    } catch (error) {
      // KV allows about one write per second to a key: two quick admin changes can collide.
      if (attempt >= retries) throw error;
      await (opts.sleep ?? wait)(1100 * (attempt + 1));
    }
  }
}

/** Rows → validated snapshot → KV; returns the published version. 409 (nothing published) when invalid. */
export async function publishFrom(
  store: FlagStore,
  kv: KVNamespace,
  opts: PublishOptions = {},
): Promise<string> {
  const built = await buildSnapshot(await store.rows());
  if (!built.ok) {
    throw new HTTPException(409, {
      message: `the stored rules do not form a valid snapshot, so it was not published: ${built.problems.join("; ")}`,
    });
  }
  await writeSnapshot(kv, built.snapshot, opts);
  return built.snapshot.version;
}

/** The same from a drizzle database (what the origin and the jobs Worker call). */
export function publishSnapshot(db: PgDb, kv: KVNamespace, opts: PublishOptions = {}): Promise<string> {
  return publishFrom(pgFlagStore(db), kv, opts);
}
