// A mixed load for the fault tests: what the site's visitors do, each request timed against a deadline.
import { sql as db, HUMAN, site } from "./helpers.ts";

export const EVENT = "edge-summit-2027";
export const TALK_PAGE = `/events/${EVENT}/talks/grace-mode`;
/** Pages a visitor reads without signing in; warmed into the edge cache before each fault. */
export const CACHED_PAGES = ["/", `/events/${EVENT}`, TALK_PAGE];

export type Kind = "cached" | "uncached" | "signed-in" | "register" | "comment";

export type Outcome = {
  kind: Kind;
  status: number;
  ms: number;
  /** A write the client may have to send again (the same email / idempotency key). */
  retry?: () => Promise<Outcome>;
};

/** status 0 = no answer within `deadlineMs` (the client gave up). */
export async function timed(
  kind: Kind,
  path: string,
  init: RequestInit = {},
  deadlineMs = 8_000,
): Promise<Outcome> {
  const started = Date.now();
  const answer = await Promise.race([
    site(path, init).then((r) => r.res.status),
    new Promise<number>((r) => setTimeout(() => r(0), deadlineMs)),
  ]).catch(() => -1);
  return { kind, status: answer, ms: Date.now() - started };
}

export function register(email: string): Promise<Outcome> {
  const send = async (): Promise<Outcome> => {
    const o = await timed("register", `/events/${EVENT}/register`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ ...HUMAN, name: "Fault Test", email }),
    });
    return { ...o, retry: send };
  };
  return send();
}

export function comment(talkId: number, key: string): Promise<Outcome> {
  const send = async (): Promise<Outcome> => {
    const o = await timed("comment", `/talks/${talkId}/comments`, {
      method: "POST",
      headers: {
        cookie: "sid=dev-session-cy",
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify({ body: `fault ${key}`, idempotencyKey: key }),
    });
    return { ...o, retry: send };
  };
  return send();
}

/** One round of the mixed load; `tag` keeps this round's writes apart from every other round's. Nothing is sent
 * until `run()`, so every request meets the fault the caller put in place first. */
export function mixedLoad(tag: string, talkId: number, scale = 1) {
  const emails = Array.from({ length: 2 * scale }, (_, i) => `fault-${tag}-${i}@example.com`);
  const keys = Array.from({ length: 2 * scale }, () => crypto.randomUUID());
  const requests: (() => Promise<Outcome>)[] = [];
  for (let i = 0; i < scale; i++) {
    for (const page of CACHED_PAGES) requests.push(() => timed("cached", page));
    requests.push(() => timed("uncached", `/events/${EVENT}?fault=${tag}-${i}`));
    requests.push(() => timed("signed-in", "/me", { headers: { cookie: "sid=dev-session-bob" } }));
  }
  for (const email of emails) requests.push(() => register(email));
  for (const key of keys) requests.push(() => comment(talkId, key));
  return { emails, keys, run: () => Promise.all(requests.map((send) => send())) };
}

export async function talkId(): Promise<number> {
  const [row] = (await db()`select id from talks where slug = 'grace-mode'`) as { id: number }[];
  if (!row) throw new Error("the seed has no grace-mode talk");
  return row.id;
}

/** What the database holds for this round: registrations and comments per key, confirmations per email. */
export async function ledger(emails: string[], keys: string[]) {
  const regs = (await db()`select email, count(*)::int as n from registrations
    where email = any(${emails}) group by email`) as { email: string; n: number }[];
  const coms = (await db()`select idempotency_key as key, count(*)::int as n from comments
    where idempotency_key = any(${keys}) group by idempotency_key`) as { key: string; n: number }[];
  const mails = (await db()`select recipient as email, count(*)::int as n from dev_mailbox
    where recipient = any(${emails}) group by recipient`) as { email: string; n: number }[];
  const count = (rows: { n: number }[], name: string, k: string) =>
    (rows as Array<{ n: number } & Record<string, unknown>>).find((r) => r[name] === k)?.n ?? 0;
  return {
    registrations: emails.map((e) => count(regs, "email", e)),
    comments: keys.map((k) => count(coms, "key", k)),
    confirmations: emails.map((e) => count(mails, "email", e)),
  };
}
