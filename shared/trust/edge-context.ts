// The per-request context the edge hands the origin (identity, flags, read-only), signed so only the edge can set it.
import type { Keys } from "./keyring.ts";
import { signValue, verifyValue } from "./sign.ts";

export const EDGE_CONTEXT_HEADER = "x-edge-context";

export interface EdgeContext {
  /** Signed-in user, resolved by the edge from the session cookie. */
  user: { id: number; tags: string[] } | null;
  /** Stable anonymous id (sticky rollouts for visitors without a session). */
  anonymousId: string | null;
  /** Encoded flag results (see shared/flags) and the snapshot version that produced them. */
  flags: string;
  flagsVersion: string;
  readOnly: boolean;
  /** Data changed moments ago (a purge with no WAL position): read from the primary so a refill is not stale. */
  fresh?: boolean;
}

// Short: the header only lives for one edge → origin hop.
const MAX_AGE_MS = 30_000;

export function signEdgeContext(ctx: EdgeContext, keys: Keys): Promise<string> {
  return signValue(ctx, keys);
}

export function verifyEdgeContext(value: string | null | undefined, keys: Keys): Promise<EdgeContext | null> {
  return verifyValue<EdgeContext>(value, keys, MAX_AGE_MS);
}
