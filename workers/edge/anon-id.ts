// The anonymous-id cookie (ep_aid in the template) that keeps percentage rollouts sticky for visitors who are not signed in (docs/privacy.md).
import { serialize } from "hono/utils/cookie";
import { cookieName } from "../../shared/site/index.ts";

export const ANON_ID_COOKIE = cookieName("aid");
const ANON_ID_MAX_AGE = 60 * 60 * 24 * 365;

// Its attributes never change: hono serializes them once per isolate (and scheme), and each new visitor's cookie
// is the id (a UUID: nothing to encode) in front of them. Minting one is on every new visitor's cache hit.
const attributes = new Map<boolean, string>();

/** The Set-Cookie value giving a new visitor `id`; `secure` on https. */
export function anonIdCookie(id: string, secure: boolean): string {
  let tail = attributes.get(secure);
  if (tail === undefined) {
    const options = { maxAge: ANON_ID_MAX_AGE, path: "/", httpOnly: true, sameSite: "Lax", secure } as const;
    tail = serialize(ANON_ID_COOKIE, "", options).slice(ANON_ID_COOKIE.length + 1);
    attributes.set(secure, tail);
  }
  return `${ANON_ID_COOKIE}=${id}${tail}`;
}
