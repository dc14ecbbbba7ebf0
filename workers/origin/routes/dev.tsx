// Local-only pages: the dev mailbox. Where ENVIRONMENT is not "local" they do not exist (404).
import { Hono } from "hono";
import { listMailbox } from "../../../shared/email/mailbox-pg.ts";
import { notFound, wantsJson } from "../../../shared/http/index.ts";
import type { OriginApp } from "../context.ts";
import { MailboxPage } from "../views/mailbox.tsx";

export const devRoutes = new Hono<OriginApp>().get("/_dev/mail", async (c) => {
  if (c.get("config").ENVIRONMENT !== "local") return notFound(c);
  const mail = await listMailbox(c.get("db").primary);
  c.header("cache-control", "private, no-store");
  if (wantsJson(c) || c.req.query("format") === "json") return c.json(mail);
  return c.html(<MailboxPage mail={mail} />);
});
