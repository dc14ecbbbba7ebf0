// Read-your-writes token: the commit LSN of a user's last write, signed for cookies and headers, plain in jobs.
import { cookieName } from "../site/index.ts";
import { asKeyring, constantTimeEqual, fromBase64Url, type Keys, toBase64Url } from "../trust/index.ts";
import { maxLsn, parseLsn } from "./lsn.ts";

export type RywToken = { lsn: string; at: number };

export const RYW_COOKIE = cookieName("ryw");
export const RYW_HEADER = "X-Read-After";
/** After this a replica has long caught up (or been taken out), so the token carries no information. */
export const TOKEN_TTL_MS = 60_000;

const VERSION = "1";
// Truncated HMAC-SHA256: 128 bits is ample for a MAC and keeps the cookie short.
const SIG_BYTES = 16;
const CLOCK_SKEW_MS = 5_000;
const keys = new Map<string, Promise<CryptoKey>>();

/** `1.<hi>-<lo>.<at base36>.<sig>`: cookie- and header-safe without quoting. */
export async function encodeToken(token: RywToken, keys: Keys): Promise<string> {
  const body = `${VERSION}.${token.lsn.replace("/", "-")}.${Math.floor(token.at).toString(36)}`;
  const key = await hmacKey(asKeyring(keys).sign);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(body)));
  return `${body}.${toBase64Url(mac.subarray(0, SIG_BYTES))}`;
}

/** Null when malformed, tampered with, from the future, or older than `maxAgeMs`. */
export async function decodeToken(
  text: string | null | undefined,
  keys: Keys,
  opts: { now: number; maxAgeMs?: number },
): Promise<RywToken | null> {
  if (!text || text.length > 100) return null;
  const parts = text.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) return null;
  const [, lsnPart = "", atPart = "", sigPart = ""] = parts;
  const lsn = lsnPart.replace("-", "/");
  const at = Number.parseInt(atPart, 36);
  if (parseLsn(lsn) === null || !/^[0-9a-z]+$/.test(atPart) || !Number.isSafeInteger(at)) return null;
  const sig = fromBase64Url(sigPart);
  if (!sig || sig.length !== SIG_BYTES) return null;
  // A rotation in progress: the token may be signed with either key (shared/trust/keyring.ts).
  let valid = false;
  for (const secret of asKeyring(keys).verify) {
    const key = await hmacKey(secret);
    const mac = new Uint8Array(
      await crypto.subtle.sign("HMAC", key, utf8(`${VERSION}.${lsnPart}.${atPart}`)),
    );
    valid = constantTimeEqual(mac.subarray(0, SIG_BYTES), sig);
    if (valid) break;
  }
  if (!valid) return null;
  return isFresh({ lsn, at }, opts) ? { lsn, at } : null;
}

/** Job messages are trusted (we produced them), so they carry the plain object; validate the shape only. */
export function tokenFromJson(value: unknown, opts?: { now: number; maxAgeMs?: number }): RywToken | null {
  if (typeof value !== "object" || value === null) return null;
  const { lsn, at } = value as { lsn?: unknown; at?: unknown };
  if (typeof lsn !== "string" || parseLsn(lsn) === null || typeof at !== "number" || !Number.isFinite(at)) {
    return null;
  }
  const token = { lsn, at };
  return !opts || isFresh(token, opts) ? token : null;
}

/** Two writes in one session: the later position and time win. */
export function mergeTokens(a: RywToken | null | undefined, b: RywToken | null | undefined): RywToken | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return { lsn: maxLsn(a.lsn, b.lsn), at: Math.max(a.at, b.at) };
}

export function isFresh(token: RywToken, opts: { now: number; maxAgeMs?: number }): boolean {
  const age = opts.now - token.at;
  return age <= (opts.maxAgeMs ?? TOKEN_TTL_MS) && age >= -CLOCK_SKEW_MS;
}

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (secret.length < 16) throw new Error("the read-your-writes secret must be at least 16 characters");
    key = crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
