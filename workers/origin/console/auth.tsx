// Who may use the console: a Cloudflare Access identity (production) or a signed-in `staff` user; a clear no to others.
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ACCESS_JWT_HEADER, accessVerifier } from "../../../shared/console/index.ts";
import { users } from "../../../shared/db/index.ts";
import { log } from "../../../shared/log/index.ts";
import type { ConsoleApp } from "./context.ts";
import { ConsoleLayout } from "./layout.tsx";

export const STAFF_TAG = "staff";

// Staff emails by user id, for a minute: every console page needs the actor, and it changes (nearly) never.
const emails = new Map<number, { email: string; until: number }>();

async function staffEmail(c: Context<ConsoleApp>, userId: number): Promise<string | null> {
  const hit = emails.get(userId);
  if (hit && hit.until > Date.now()) return hit.email;
  const [row] = await c
    .get("db")
    .primary.select({ email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  if (!row) return null;
  if (emails.size >= 100) emails.clear();
  emails.set(userId, { email: row.email, until: Date.now() + 60_000 });
  return row.email;
}

export const consoleAuth = createMiddleware<ConsoleApp>(async (c, next) => {
  // Personal pages, whoever asks: never stored by the edge or anything in between.
  c.header("cache-control", "private, no-store");
  const config = c.get("config");
  const token = c.req.header(ACCESS_JWT_HEADER);
  let refusal: string | null = null;
  if (token && config.ACCESS_TEAM_DOMAIN && config.ACCESS_AUD) {
    const verdict = await accessVerifier({ teamDomain: config.ACCESS_TEAM_DOMAIN, aud: config.ACCESS_AUD })(
      token,
    );
    if (verdict.ok) {
      c.set("actor", { email: verdict.email, via: "access" });
      return next();
    }
    refusal = "Your Cloudflare Access token was not accepted.";
    log.warn("console: access token refused", { reason: verdict.reason, requestId: c.get("requestId") });
  }
  const user = c.get("edge").user;
  if (user?.tags.includes(STAFF_TAG)) {
    const email = await staffEmail(c, user.id);
    if (email) {
      c.set("actor", { email, via: "staff" });
      return next();
    }
  }
  return c.html(<Refused signedIn={user !== null} reason={refusal} />, 403);
});

function Refused(props: { signedIn: boolean; reason: string | null }) {
  return (
    <ConsoleLayout title="Staff only">
      <h1>The operations console is for staff</h1>
      {props.reason ? <p class="console-error">{props.reason}</p> : null}
      <p>
        {props.signedIn
          ? "You are signed in, but your account is not tagged staff."
          : "Sign in with a staff account, or reach this page through your team's Cloudflare Access."}
      </p>
      <p>{props.signedIn ? <a href="/">Back to the site</a> : <a href="/login">Sign in</a>}</p>
    </ConsoleLayout>
  );
}
