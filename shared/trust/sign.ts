// HMAC-SHA256 signing of small payloads that cross a trust boundary (edge → origin headers, cookies, job messages).
import { fromBase64Url, toBase64Url } from "./bytes.ts";
import { asKeyring, type Keys } from "./keyring.ts";

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function key(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, k);
  }
  return k;
}

/** `<base64url(json)>.<base64url(hmac)>`; the timestamp inside lets the verifier refuse replays of old values. */
export async function signValue(payload: unknown, keys: Keys, now = Date.now()): Promise<string> {
  const body = toBase64Url(encoder.encode(JSON.stringify({ p: payload, t: now })));
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", await key(asKeyring(keys).sign), encoder.encode(body)),
  );
  return `${body}.${toBase64Url(mac)}`;
}

/** Returns the payload, or null when the value was tampered with, malformed, or older than `maxAgeMs`. */
export async function verifyValue<T>(
  value: string | null | undefined,
  keys: Keys,
  maxAgeMs: number,
  now = Date.now(),
): Promise<T | null> {
  if (!value) return null;
  const dot = value.indexOf(".");
  if (dot <= 0) return null;
  const body = value.slice(0, dot);
  const mac = fromBase64Url(value.slice(dot + 1));
  if (!mac) return null;
  let ok = false;
  for (const secret of asKeyring(keys).verify) {
    ok = await crypto.subtle.verify("HMAC", await key(secret), mac, encoder.encode(body));
    if (ok) break;
  }
  if (!ok) return null;
  const raw = fromBase64Url(body);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(raw)) as { p: T; t: number };
    if (typeof parsed.t !== "number" || now - parsed.t > maxAgeMs || parsed.t - now > 60_000) return null;
    return parsed.p;
  } catch {
    return null;
  }
}
