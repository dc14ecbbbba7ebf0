// Session ids: 256 random bits in the cookie, only their SHA-256 in the database (a leaked table signs no one in).
import { toBase64Url } from "../trust/index.ts";

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function newSessionId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Whether a cookie value could be a session id at all: anything else is not looked up. */
export function isSessionId(value: string): boolean {
  return SESSION_ID.test(value);
}

/** What the sessions table stores and the revocation list names: the id's SHA-256, base64url. */
export async function sessionKey(sessionId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(sessionId));
  return toBase64Url(new Uint8Array(digest));
}
