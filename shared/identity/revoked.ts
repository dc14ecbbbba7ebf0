// Sign-outs every edge isolate must hear of: a short list of revoked session keys, published and read through KV.
import { withTimeout } from "../deadline/index.ts";
import { log } from "../log/index.ts";
import { createRefreshing, type Refreshing } from "../memo/index.ts";

export const REVOKED_KEY = "sessions:revoked";

/** On an origin response: this request's session just ended (sign-out, a new sign-in), so the isolate forgets it. */
export const SESSION_ENDED_HEADER = "x-session-ended";

/** [session key, revoked at (ms)] pairs, oldest first. */
export type RevokedList = Array<[string, number]>;

/**
 * An entry only matters while an isolate may still hold the session's identity in memory (the resolver's TTL);
 * a minute covers that with room for the readers' own refresh interval.
 */
export const REVOKED_KEEP_MS = 60_000;
const MAX_ENTRIES = 10_000;

/** Adds one revocation and drops what no isolate can still remember. Pure, so the trimming is tested alone. */
export function withRevocation(list: RevokedList, key: string, now: number): RevokedList {
  const kept = list.filter(([k, at]) => k !== key && now - at < REVOKED_KEEP_MS);
  kept.push([key, now]);
  return kept.slice(-MAX_ENTRIES);
}

export function parseRevoked(raw: string | null): RevokedList {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is [string, number] => Array.isArray(e) && typeof e[0] === "string" && typeof e[1] === "number",
    );
  } catch {
    return [];
  }
}

/**
 * Read-modify-write: two sign-outs in the same instant may keep only one entry. The other session is still gone
 * from the database; an isolate that remembers it forgets it when its entry expires (the resolver's TTL).
 */
export async function publishRevocation(
  kv: KVNamespace,
  keys: string | readonly string[],
  now = Date.now(),
): Promise<void> {
  let list = parseRevoked(await kv.get(REVOKED_KEY));
  for (const key of typeof keys === "string" ? [keys] : keys) list = withRevocation(list, key, now);
  await kv.put(REVOKED_KEY, JSON.stringify(list));
}

/** Each isolate's copy of the list, refreshed like the other switches; a failed read keeps the last copy. */
export function createRevokedReader(kv: KVNamespace, o: { cacheMs: number; timeoutMs?: number }) {
  let last = new Set<string>();
  const memo: Refreshing<ReadonlySet<string>> = createRefreshing(
    async () => {
      try {
        const raw = await withTimeout(kv.get(REVOKED_KEY), o.timeoutMs ?? 1_000);
        last = new Set(parseRevoked(raw).map(([k]) => k));
      } catch (error) {
        log.warn("revoked sessions: KV read failed; using the last list", { error });
      }
      return last;
    },
    { ttlMs: o.cacheMs },
  );
  return memo;
}
