import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { adminAuth } from "./admin-auth.ts";
import { onError } from "./errors.ts";

function appWith(token: string) {
  return new Hono()
    .use(adminAuth(() => token))
    .get("/", (c) => c.text("in"))
    .onError(onError);
}

const ask = (app: Hono, authorization?: string) =>
  app.request("/", authorization === undefined ? {} : { headers: { authorization } });

describe("adminAuth", () => {
  const app = appWith("s3cret.token-1");

  it("lets the configured bearer token in, whatever the scheme's case and the spaces after it", async () => {
    for (const header of ["Bearer s3cret.token-1", "bearer   s3cret.token-1"]) {
      const res = await ask(app, header);
      expect(res.status, header).toBe(200);
      expect(await res.text()).toBe("in");
    }
  });

  it("answers RFC 6750's challenges: 401 without credentials or with a wrong token, 400 if malformed", async () => {
    const none = await ask(app);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm=""');
    const wrong = await ask(app, "Bearer s3cret.token-2");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    for (const header of ["Basic czNjcmV0", "Bearer", "Bearer ", "Bearer a b", "Bearers3cret.token-1"]) {
      const bad = await ask(app, header);
      expect(bad.status, header).toBe(400);
      expect(bad.headers.get("www-authenticate")).toBe('Bearer error="invalid_request"');
    }
  });

  it("refuses everyone when no token is configured", async () => {
    const res = await ask(appWith(""), "Bearer anything");
    expect(res.status).toBe(401);
  });
});
