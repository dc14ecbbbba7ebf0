// The byte helpers every signature shares: base64url both ways, and equality that takes the same time however
// much of the two values matches.

/** Unpadded base64url (RFC 4648 §5): safe in cookies, headers and URLs without quoting. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The bytes of unpadded base64url; null for anything else (padding, `+` or `/`, whitespace, a bad length). */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Whether `given` equals `expected`, in time that depends only on `given`'s length: no early exit at the first
 * difference, and a length mismatch is found by the same loop. For MACs, tokens and code hashes.
 */
export function constantTimeEqual(given: Uint8Array | string, expected: Uint8Array | string): boolean {
  const a = typeof given === "string" ? new TextEncoder().encode(given) : given;
  const b = typeof expected === "string" ? new TextEncoder().encode(expected) : expected;
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b.length > 0 ? (b[i % b.length] ?? 0) : 1);
  return diff === 0;
}
