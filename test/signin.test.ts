// Sign-in by emailed code through the real path: the code travels edge → origin → outbox → queue → jobs Worker →
// dev mailbox, and is read back from /_dev/mail as a person on a laptop would.

import { describe, expect, it, vi } from "vitest";
import { cookieName } from "../shared/site/index.ts";
import { eventually, HUMAN, SITE, site, sql } from "./helpers.ts";

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const JSON_API = { "content-type": "application/json", accept: "application/json" };

type Mail = { id: string; kind: string; recipient: string; subject: string; body: string };

/** The newest code mailed to `email` for `purpose` that is not one of `seen`. */
async function codeFor(email: string, purpose = "sign-in", seen: string[] = []): Promise<string> {
  return eventually(async () => {
    const { body } = await site("/_dev/mail?format=json");
    const mail = (JSON.parse(body) as Mail[]).find(
      (m) => m.recipient === email && m.kind === `code:${purpose}` && !seen.some((s) => m.body.includes(s)),
    );
    return mail?.body.match(/^ {4}(\d{6})$/m)?.[1] ?? false;
  }, 10_000);
}

const cookieValue = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(";")[0]
    ?.slice(name.length + 1);

async function askCode(email: string, headers: Record<string, string> = {}) {
  return site("/login", {
    method: "POST",
    headers: { ...JSON_API, ...headers },
    body: JSON.stringify({ ...HUMAN, email }),
  });
}

async function enterCode(email: string, code: string, cookie?: string) {
  return site("/login/code", {
    method: "POST",
    headers: { ...JSON_API, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ email, code }),
  });
}

const newEmail = () => `signin-${crypto.randomUUID()}@example.com`;

describe("sign-in by code", () => {
  it("a person signs in with the code from the mailbox and gets a fresh, HttpOnly session", async () => {
    const email = newEmail();
    const asked = await site("/login", {
      method: "POST",
      headers: FORM,
      body: new URLSearchParams({ ...HUMAN, email }).toString(),
    });
    expect(asked.res.status, asked.body).toBe(303);
    expect(asked.res.headers.get("location")).toBe("/login/code");
    const pending = cookieValue(asked.res, cookieName("signin"));
    expect(pending).toBeTruthy();

    const code = await codeFor(email);
    const entered = await site("/login/code", {
      method: "POST",
      headers: { ...FORM, cookie: `${cookieName("signin")}=${pending}` },
      body: new URLSearchParams({ code }).toString(),
    });
    expect(entered.res.status, entered.body).toBe(303);
    expect(entered.res.headers.get("location")).toBe("/me");
    const set = entered.res.headers.getSetCookie().find((c) => c.startsWith("sid="));
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/Secure/i);
    expect(set).toMatch(/SameSite=Lax/i);
    const sid = cookieValue(entered.res, "sid");
    // Only a hash of the session id is stored.
    expect(await sql()`select 1 from sessions where id = ${sid ?? ""}`).toHaveLength(0);

    const me = await site("/me", { headers: { cookie: `sid=${sid}` } });
    expect(me.res.status).toBe(200);
    expect(me.body).toContain("My account");
    expect(me.res.headers.get("cache-control")).toContain("no-store");
  });

  it("answers the same whether or not the address has an account", async () => {
    const known = await askCode("ada@example.com");
    const unknown = await askCode(newEmail());
    expect(known.res.status).toBe(202);
    expect(unknown.res.status).toBe(202);
    expect(known.body).toBe(unknown.body);
  });

  it("a code works once; a wrong code five times locks it; an expired code fails", async () => {
    const email = newEmail();
    await askCode(email);
    const code = await codeFor(email);
    expect((await enterCode(email, code)).res.status).toBe(200);
    const again = await enterCode(email, code);
    expect(again.res.status).toBe(400);

    const locked = newEmail();
    await askCode(locked);
    const right = await codeFor(locked);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) expect((await enterCode(locked, wrong)).res.status).toBe(400);
    const late = await enterCode(locked, right);
    expect(late.res.status).toBe(400);
    expect(late.body).toContain("Too many wrong codes");

    const expired = newEmail();
    await askCode(expired);
    const stale = await codeFor(expired);
    await sql()`update signin_codes set expires_at = now() - interval '1 second' where email = ${expired}`;
    expect((await enterCode(expired, stale)).res.status).toBe(400);
  });

  it("signing in replaces the session the browser had; signing out ends it at the edge at once", async () => {
    const email = newEmail();
    await askCode(email);
    const first = cookieValue((await enterCode(email, await codeFor(email))).res, "sid");
    // Resolved once, so the edge holds this identity in its isolate memory.
    expect((await site("/me", { headers: { cookie: `sid=${first}` } })).res.status).toBe(200);

    const seen = [await codeFor(email)];
    await askCode(email);
    const rotated = await enterCode(email, await codeFor(email, "sign-in", seen), `sid=${first}`);
    const second = cookieValue(rotated.res, "sid");
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    expect((await site("/me", { headers: { cookie: `sid=${first}` } })).res.status).toBe(303);
    expect((await site("/me", { headers: { cookie: `sid=${second}` } })).res.status).toBe(200);

    const out = await site("/logout", { method: "POST", headers: { ...FORM, cookie: `sid=${second}` } });
    expect(out.res.status).toBe(303);
    const after = await site("/me", { headers: { cookie: `sid=${second}` } });
    expect(after.res.status).toBe(303);
    expect(after.res.headers.get("location")).toBe("/login");
  });

  it("refuses a cross-site form post with 403 and says why; the bearer-token APIs stay usable", async () => {
    const res = await site("/login", {
      method: "POST",
      headers: { ...FORM, origin: "https://evil.example" },
      body: new URLSearchParams({ ...HUMAN, email: newEmail() }).toString(),
    });
    expect(res.res.status).toBe(403);
    expect(res.body).toContain("sent from another site");
    const sameSite = await site("/login", {
      method: "POST",
      headers: { ...FORM, origin: SITE },
      body: new URLSearchParams({ ...HUMAN, email: newEmail() }).toString(),
    });
    expect(sameSite.res.status).toBe(303);
  });

  it("refuses a visitor Turnstile fails, and sends nothing", async () => {
    const email = newEmail();
    const res = await askCode(email, { "x-test-turnstile": "fail" });
    expect(res.res.status).toBe(403);
    expect(res.body).toContain("human check did not pass");
    expect(await sql()`select 1 from signin_codes where email = ${email}`).toHaveLength(0);
  });
});

describe("logs", () => {
  it("the edge's lines for a whole sign-in carry no session id, code or address", async () => {
    const lines: string[] = [];
    const spies = (["log", "info", "warn", "error"] as const).map((m) =>
      vi
        .spyOn(console, m)
        .mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" "))),
    );
    try {
      const email = newEmail();
      await askCode(email);
      const code = await codeFor(email);
      const sid = cookieValue((await enterCode(email, code)).res, "sid") ?? "";
      await site("/me", { headers: { cookie: `sid=${sid}` } });
      await site("/logout", { method: "POST", headers: { ...FORM, cookie: `sid=${sid}` } });
      const all = lines.join("\n");
      expect(lines.some((l) => l.includes('"msg":"request"'))).toBe(true);
      expect(all).not.toContain(sid);
      expect(all).not.toContain(code);
      expect(all).not.toContain(email);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});

describe("my data", () => {
  async function signedIn() {
    const email = newEmail();
    await askCode(email);
    const sid = cookieValue((await enterCode(email, await codeFor(email))).res, "sid");
    return { email, cookie: `sid=${sid}` };
  }

  it("exports the account's data after a code to its address", async () => {
    const { email, cookie } = await signedIn();
    const asked = await site("/me/export", { method: "POST", headers: { ...JSON_API, cookie } });
    expect(asked.res.status, asked.body).toBe(202);
    const code = await codeFor(email, "export");
    const wrong = await site("/me/export/confirm", {
      method: "POST",
      headers: { ...JSON_API, cookie },
      body: JSON.stringify({ code: code === "000000" ? "111111" : "000000" }),
    });
    expect(wrong.res.status, wrong.body).toBe(400);
    const got = await site("/me/export/confirm", {
      method: "POST",
      headers: { ...JSON_API, cookie },
      body: JSON.stringify({ code }),
    });
    expect(got.res.status, got.body).toBe(200);
    expect(got.res.headers.get("content-disposition")).toContain("attachment");
    expect(JSON.parse(got.body)).toMatchObject({ user: { email } });
  });

  it("deletes the account after a code: its session ends and its rows are gone", async () => {
    const { email, cookie } = await signedIn();
    await site("/me/delete", { method: "POST", headers: { ...JSON_API, cookie } });
    const code = await codeFor(email, "delete");
    const done = await site("/me/delete/confirm", {
      method: "POST",
      headers: { ...JSON_API, cookie },
      body: JSON.stringify({ code }),
    });
    expect(done.res.status, done.body).toBe(200);
    expect(await sql()`select 1 from users where email = ${email}`).toHaveLength(0);
    expect((await site("/me", { headers: { cookie } })).res.status).toBe(303);
  });
});
