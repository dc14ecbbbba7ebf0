// Sign in/out (example: passwordless for seeded users) and the account page with the user's uploads.
import { desc, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as z from "zod/mini";
import { sessions, uploads, users } from "../../../shared/db/schema.ts";
import { emailAddress, parseBody } from "../../../shared/http/index.ts";
import type { OriginApp } from "../context.ts";
import { writeLimit } from "../middleware/rate-limit.ts";
import { AccountPage } from "../views/account.tsx";
import { LoginPage } from "../views/login.tsx";

const login = z.object({ email: emailAddress });
const SESSION_DAYS = 30;

export const accountRoutes = new Hono<OriginApp>()
  .get("/login", (c) => {
    c.header("cache-control", "private, no-store");
    return c.html(<LoginPage user={c.get("edge").user} />);
  })
  .post("/login", writeLimit, async (c) => {
    const { email } = await parseBody(c, login);
    const sessionId = `s_${crypto.randomUUID()}`;
    const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    // One statement: a session only for an existing user (no read-then-write race).
    const { results } = await c.get("db").write((p) => [
      p.execute(sql`
        insert into ${sessions} (id, user_id, expires_at)
        select ${sessionId}, id, ${expires.toISOString()} from ${users} where email = ${email}
        returning user_id`),
    ]);
    if (results[0].rows.length === 0) {
      c.header("cache-control", "private, no-store");
      return c.html(<LoginPage error="No account with that email." />, 400);
    }
    setCookie(c, c.get("config").SESSION_COOKIE, sessionId, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: new URL(c.req.url).protocol === "https:",
      expires,
    });
    return c.redirect("/me", 303);
  })
  .post("/logout", async (c) => {
    const name = c.get("config").SESSION_COOKIE;
    const sessionId = getCookie(c, name);
    if (sessionId) await c.get("db").write((p) => [p.delete(sessions).where(eq(sessions.id, sessionId))]);
    deleteCookie(c, name, { path: "/" });
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
    c.header("cache-control", "private, no-store");
    return c.html(<AccountPage user={user} uploads={mine} />);
  });
