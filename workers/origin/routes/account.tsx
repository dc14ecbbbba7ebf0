// Sign-in by emailed code, sign-out, and the account page with its data export and account deletion.
import { desc, eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import * as z from "zod/mini";
import { uploads, users } from "../../../shared/db/index.ts";
import { emailAddress, parseBody, wantsJson } from "../../../shared/http/index.ts";
import {
  newSessionId,
  publishRevocation,
  SESSION_ENDED_HEADER,
  sessionKey,
} from "../../../shared/identity/index.ts";
import { siteJobs } from "../../../shared/jobs/examples/index.ts";
import { buildEnvelope } from "../../../shared/jobs/index.ts";
import { endSession, type Purpose, signInWithCode, useUserCode } from "../../../shared/signin/index.ts";
import { cookieName } from "../../../shared/site/index.ts";
import { signValue, verifyValue } from "../../../shared/trust/index.ts";
import { TURNSTILE_FIELD } from "../../../shared/turnstile/index.ts";
import { deleteAccount, exportAccount } from "../account-data.ts";
import { purgeTags } from "../cache-headers.ts";
import { checkCode, requireHuman, sendCode, turnstileWidget } from "../codes.ts";
import type { OriginApp } from "../context.ts";
import { relayAfterCommit } from "../jobs.ts";
import { AccountPage } from "../views/account.tsx";
import { CodePage, LoginPage } from "../views/login.tsx";

const SESSION_DAYS = 30;
/** Carries the address between "email me a code" and "here is the code" (signed, short-lived, HttpOnly). */
const PENDING_COOKIE = cookieName("signin");
const PENDING_MS = 15 * 60_000;

const codeRequest = z.object({
  email: emailAddress,
  [TURNSTILE_FIELD]: z.optional(z.string().check(z.maxLength(2048))),
});
const codeEntry = z.object({
  code: z.string().check(z.maxLength(20)),
  // API clients say which address; browsers carry it in the pending cookie.
  email: z.optional(emailAddress),
});

const noStore = (c: Context<OriginApp>) => c.header("cache-control", "private, no-store");
const secureCookie = { path: "/", httpOnly: true, secure: true, sameSite: "Lax" } as const;

/** The signed-in user, or 401 (a JSON client) / a redirect to sign in (a browser). */
function requireUser(c: Context<OriginApp>) {
  const user = c.get("edge").user;
  if (!user) throw new HTTPException(401, { message: "Sign in first." });
  return user;
}

async function emailOf(c: Context<OriginApp>, userId: number): Promise<string> {
  const [row] = await c
    .get("db")
    .primary.select({ email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  if (!row) throw new HTTPException(401, { message: "Sign in first." });
  return row.email;
}

/** Code failures re-render the form for a person; API clients get the problem as JSON. */
async function withCodeErrors(
  c: Context<OriginApp>,
  page: { action: string; title: string; sentTo: string },
  run: () => Promise<Response>,
): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof HTTPException) || e.status !== 400 || wantsJson(c)) throw e;
    noStore(c);
    const local = c.get("config").ENVIRONMENT === "local";
    return c.html(<CodePage {...page} error={e.message} local={local} />, 400);
  }
}

/** Mails a code for export or delete to the account's own address. */
async function askForCode(c: Context<OriginApp>, action: Purpose): Promise<Response> {
  const user = requireUser(c);
  const email = await emailOf(c, user.id);
  await sendCode(c, { email, purpose: action, userId: user.id });
  noStore(c);
  if (wantsJson(c)) return c.json({ sent: true, next: `/me/${action}/confirm` }, 202);
  const local = c.get("config").ENVIRONMENT === "local";
  const title = action === "export" ? "Export your data" : "Delete your account";
  return c.html(<CodePage action={`/me/${action}/confirm`} title={title} sentTo={email} local={local} />);
}

export const accountRoutes = new Hono<OriginApp>()
  .get("/login", (c) => {
    noStore(c);
    if (c.get("edge").user) return c.redirect("/me", 303);
    return c.html(<LoginPage turnstile={turnstileWidget(c)} />);
  })
  .post("/login", async (c) => {
    const input = await parseBody(c, codeRequest);
    await requireHuman(c, input[TURNSTILE_FIELD]);
    await sendCode(c, { email: input.email, purpose: "sign-in", userId: null });
    noStore(c);
    if (wantsJson(c)) return c.json({ sent: true, next: "/login/code" }, 202);
    setCookie(c, PENDING_COOKIE, await signValue(input.email, c.get("config").edgeKeys), {
      ...secureCookie,
      maxAge: PENDING_MS / 1000,
    });
    return c.redirect("/login/code", 303);
  })
  .get("/login/code", async (c) => {
    noStore(c);
    const email = await verifyValue<string>(
      getCookie(c, PENDING_COOKIE),
      c.get("config").edgeKeys,
      PENDING_MS,
    );
    if (!email) return c.redirect("/login", 303);
    const local = c.get("config").ENVIRONMENT === "local";
    return c.html(<CodePage action="/login/code" title="Check your email" sentTo={email} local={local} />);
  })
  .post("/login/code", async (c) => {
    const input = await parseBody(c, codeEntry);
    const config = c.get("config");
    const email =
      input.email ?? (await verifyValue<string>(getCookie(c, PENDING_COOKIE), config.edgeKeys, PENDING_MS));
    if (!email) throw new HTTPException(400, { message: "Ask for a code first." });
    const page = { action: "/login/code", title: "Check your email", sentTo: email };
    return withCodeErrors(c, page, async () => {
      const challenge = await checkCode(c, { email, purpose: "sign-in", typed: input.code });
      const sessionId = newSessionId();
      const previous = getCookie(c, config.SESSION_COOKIE);
      const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000);
      const signedIn = await signInWithCode(c.get("db").primary, {
        challengeId: challenge.id,
        sessionKey: await sessionKey(sessionId),
        expiresAt: expires,
        previousKey: previous ? await sessionKey(previous) : null,
      });
      // Used by a parallel guess a moment ago, or expired in between.
      if (!signedIn)
        throw new HTTPException(400, { message: "That code has just been used or has expired." });
      noStore(c);
      // A new id at every sign-in: whatever id the browser had before is dead (no session fixation).
      setCookie(c, config.SESSION_COOKIE, sessionId, { ...secureCookie, expires });
      deleteCookie(c, PENDING_COOKIE, { path: "/" });
      if (previous) c.header(SESSION_ENDED_HEADER, "1");
      if (wantsJson(c)) return c.json({ userId: signedIn.userId, created: signedIn.created });
      return c.redirect("/me", 303);
    });
  })
  .post("/logout", async (c) => {
    const config = c.get("config");
    const sessionId = getCookie(c, config.SESSION_COOKIE);
    if (sessionId) {
      const key = await sessionKey(sessionId);
      await endSession(c.get("db").primary, key);
      // This isolate forgets at once (the header); every other edge isolate within its switch memory (the list).
      c.header(SESSION_ENDED_HEADER, "1");
      c.executionCtx.waitUntil(publishRevocation(config.bindings.CONFIG, key));
    }
    deleteCookie(c, config.SESSION_COOKIE, { path: "/" });
    noStore(c);
    if (wantsJson(c)) return c.json({ signedOut: true });
    return c.redirect("/", 303);
  })
  .get("/me", async (c) => {
    const user = c.get("edge").user;
    if (!user) return c.redirect("/login", 303);
    const mine = await c
      .get("db")
      .read.select()
      .from(uploads)
      .where(eq(uploads.ownerId, user.id))
      .orderBy(desc(uploads.id))
      .limit(50);
    noStore(c);
    return c.html(<AccountPage user={user} uploads={mine} />);
  })
  // Export and delete: a code to the account's address first, so a session left open is not enough.
  .post("/me/export", (c) => askForCode(c, "export"))
  .post("/me/delete", (c) => askForCode(c, "delete"))
  .post("/me/export/confirm", async (c) => {
    const user = requireUser(c);
    const { code } = await parseBody(c, codeEntry);
    const email = await emailOf(c, user.id);
    const page = { action: "/me/export/confirm", title: "Export your data", sentTo: email };
    return withCodeErrors(c, page, async () => {
      const challenge = await checkCode(c, { email, purpose: "export", typed: code });
      const { results } = await c.get("db").write((p) => [p.execute(useUserCode(challenge.id, user.id))]);
      if (results[0].rows.length === 0)
        throw new HTTPException(400, { message: "That code has just been used." });
      const data = await exportAccount(c.get("db"), user.id);
      noStore(c);
      c.header("content-disposition", 'attachment; filename="my-data.json"');
      return c.json(data);
    });
  })
  .post("/me/delete/confirm", async (c) => {
    const user = requireUser(c);
    const { code } = await parseBody(c, codeEntry);
    const config = c.get("config");
    const email = await emailOf(c, user.id);
    const page = { action: "/me/delete/confirm", title: "Delete your account", sentTo: email };
    return withCodeErrors(c, page, async () => {
      const challenge = await checkCode(c, { email, purpose: "delete", typed: code });
      const erase = buildEnvelope(
        siteJobs,
        "erase-user-files",
        { userId: user.id },
        { requestId: c.get("requestId") },
      );
      const deleted = await deleteAccount(c.get("db"), {
        userId: user.id,
        challengeId: challenge.id,
        eraseFiles: erase,
      });
      if (!deleted) throw new HTTPException(400, { message: "That code has just been used or has expired." });
      relayAfterCommit(c, [erase.id], await c.get("db").writeToken());
      c.executionCtx.waitUntil(publishRevocation(config.bindings.CONFIG, deleted.sessionKeys));
      purgeTags(c, [
        ...deleted.eventIds.map((id) => `event:${id}`),
        ...(deleted.eventIds.length > 0 ? ["events"] : []),
        ...deleted.talkIds.map((id) => `talk:${id}`),
        `user:${user.id}`,
      ]);
      c.header(SESSION_ENDED_HEADER, "1");
      deleteCookie(c, config.SESSION_COOKIE, { path: "/" });
      noStore(c);
      if (wantsJson(c)) return c.json({ deleted: true });
      return c.redirect("/?deleted=1", 303);
    });
  });
