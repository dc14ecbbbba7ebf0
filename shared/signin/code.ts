// One-time sign-in codes: uniformly random digits, stored only as a keyed hash, compared in constant time.
import { toBase64Url } from "../trust/index.ts";

export const CODE_DIGITS = 6;
const RANGE = 10 ** CODE_DIGITS;
// The largest multiple of RANGE below 2^32: values above it would make low codes likelier (modulo bias).
const LIMIT = Math.floor(2 ** 32 / RANGE) * RANGE;

export function newCode(): string {
  const n = new Uint32Array(1);
  do crypto.getRandomValues(n);
  while ((n[0] ?? LIMIT) >= LIMIT);
  return String((n[0] ?? 0) % RANGE).padStart(CODE_DIGITS, "0");
}

/** What people type: digits, maybe spaced or dashed ("123 456"); null when it cannot be a code. */
export function normaliseCode(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, "");
  return new RegExp(`^[0-9]{${CODE_DIGITS}}$`).test(digits) ? digits : null;
}

/**
 * Keyed, because a million codes are quickly hashed by anyone holding a copy of the table. The challenge id is
 * in the input, so equal codes for two people never share a hash.
 */
export async function codeHash(secret: string, challengeId: string, code: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, enc.encode(`sign-in code\n${challengeId}\n${code}`));
  return toBase64Url(new Uint8Array(mac));
}
