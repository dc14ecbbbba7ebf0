// KV's copies of the switches: the fallback when the switchboard object cannot be reached, stamped like it.
import { withTimeout } from "../deadline/index.ts";
import { parseReadOnlyState, READ_ONLY_KEY } from "../readonly/index.ts";
import type { Copies } from "./board.ts";
import type { FlagsEntry, ReadOnlyEntry } from "./switches.ts";

/** KV key of the published flags snapshot (the edge's fallback copy; flag storage publishes under it). */
export const SNAPSHOT_KEY = "flags:snapshot";

/** A copy written before copies carried a stamp: older than anything stamped, newer than "never set". */
const UNSTAMPED = 1;

function stampOf(metadata: unknown): number {
  const at = (metadata as { at?: unknown } | null)?.at;
  return typeof at === "number" && Number.isFinite(at) && at > 0 ? Math.trunc(at) : UNSTAMPED;
}

/** Pure. The read-only copy as stored; null when the key is missing or its value is not a read-only state. */
export function readOnlyCopy(text: string | null, metadata: unknown): ReadOnlyEntry | null {
  if (text === null) return null;
  const state = parseReadOnlyState(text);
  return state ? { state, at: stampOf(metadata) } : null;
}

/** Pure. The flags copy as stored; null when missing or not a snapshot (no version). */
export function flagsCopy(text: string | null, metadata: unknown): FlagsEntry | null {
  if (text === null) return null;
  let version = (metadata as { version?: unknown } | null)?.version;
  if (typeof version !== "string") {
    try {
      version = (JSON.parse(text) as { version?: unknown } | null)?.version;
    } catch {
      return null;
    }
  }
  return typeof version === "string" && version !== "" ? { version, text, at: stampOf(metadata) } : null;
}

/** Both copies in one round of reads; rejects when KV fails or is slower than `timeoutMs`. */
export async function readCopies(kv: KVNamespace, timeoutMs: number): Promise<Copies> {
  const [ro, flags] = await withTimeout(
    Promise.all([kv.getWithMetadata(READ_ONLY_KEY), kv.getWithMetadata(SNAPSHOT_KEY)]),
    timeoutMs,
    { error: () => new Error(`KV read took longer than ${timeoutMs} ms`) },
  );
  return {
    readOnly: readOnlyCopy(ro.value, ro.metadata),
    flags: flagsCopy(flags.value, flags.metadata),
  };
}

export async function writeReadOnlyCopy(kv: KVNamespace, entry: ReadOnlyEntry): Promise<void> {
  await kv.put(READ_ONLY_KEY, JSON.stringify(entry.state), { metadata: { at: entry.at } });
}

export async function writeFlagsCopy(kv: KVNamespace, entry: FlagsEntry): Promise<void> {
  await kv.put(SNAPSHOT_KEY, entry.text, { metadata: { version: entry.version, at: entry.at } });
}
