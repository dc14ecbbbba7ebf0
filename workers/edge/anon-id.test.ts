import { serialize } from "hono/utils/cookie";
import { describe, expect, it } from "vitest";
import { ANON_ID_COOKIE, anonIdCookie } from "./anon-id.ts";

describe("anonIdCookie", () => {
  it("is what hono serializes for the id, on http and on https, however often it is asked", () => {
    for (const secure of [false, true, false, true]) {
      const id = crypto.randomUUID();
      const options = { maxAge: 31_536_000, path: "/", httpOnly: true, sameSite: "Lax", secure } as const;
      expect(anonIdCookie(id, secure)).toBe(serialize(ANON_ID_COOKIE, id, options));
    }
    expect(anonIdCookie("x", true)).toBe(
      "ep_aid=x; Max-Age=31536000; Path=/; HttpOnly; Secure; SameSite=Lax",
    );
  });
});
