// Short-lived grants the console hands a signed-in operator's browser for the edge's cache API (see decision 027).
import { asKeyring, type Keyring, type Keys, signValue, verifyValue } from "../trust/index.ts";

/** `Authorization: Bearer console.<signed>`: told apart from the admin token by its prefix. */
export const GRANT_PREFIX = "console.";
/** Long enough for a console page left open a while; a reload issues a new one. */
export const GRANT_MAX_AGE_MS = 15 * 60_000;

interface GrantPayload {
  kind: "console-grant";
  actor: string;
}

// Its own keys, derived from EDGE_SECRET: no other signed value of the site (the edge context) can pass as a grant.
function grantKeys(keys: Keys): Keyring {
  const ring = asKeyring(keys);
  return { sign: `console-grant:${ring.sign}`, verify: ring.verify.map((k) => `console-grant:${k}`) };
}

export async function issueGrant(keys: Keys, actor: string, now = Date.now()): Promise<string> {
  const payload: GrantPayload = { kind: "console-grant", actor };
  return GRANT_PREFIX + (await signValue(payload, grantKeys(keys), now));
}

/** The operator a grant was issued to, or null (not a grant, tampered with, or expired). */
export async function readGrant(
  token: string | null | undefined,
  keys: Keys,
  now = Date.now(),
): Promise<{ actor: string } | null> {
  if (!token?.startsWith(GRANT_PREFIX)) return null;
  const p = await verifyValue<GrantPayload>(
    token.slice(GRANT_PREFIX.length),
    grantKeys(keys),
    GRANT_MAX_AGE_MS,
    now,
  );
  return p?.kind === "console-grant" && typeof p.actor === "string" ? { actor: p.actor } : null;
}
