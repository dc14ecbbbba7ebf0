// Faults on the real stack: freeze or stop a backing service under a mixed load, then resume it.
//
// Asserted with generous margins (a deadline check, not a speed test): every request answered within 5 s, cached
// pages all served (a page purged just before the fault included), no write lost or saved twice after the client
// retries, no job lost, and the site working again within 5 s of the fault ending. `npm run faults` runs this file
// with more load and prints the full table.
import { Redis } from "@upstash/redis/cloudflare";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CACHED_PAGES, ledger, mixedLoad, type Outcome, TALK_PAGE, talkId, timed } from "./fault-load.ts";
import { admin, control, eventually, type Fault, HUMAN, SITE, sql } from "./helpers.ts";

const { scale: SCALE, report: REPORT } = inject("faults");
const ANSWER_WITHIN_MS = 5_000;
const RECOVER_WITHIN_MS = 5_000;

type Target = "primary" | "replica" | "redis" | "neon-proxy";
const SCENARIOS: { name: string; target: Target; action: "freeze" | "stop" }[] = [
  { name: "primary frozen (SIGSTOP)", target: "primary", action: "freeze" },
  { name: "replica frozen (SIGSTOP)", target: "replica", action: "freeze" },
  { name: "Redis frozen (SIGSTOP)", target: "redis", action: "freeze" },
  { name: "Neon proxy frozen (SIGSTOP)", target: "neon-proxy", action: "freeze" },
  { name: "Neon proxy gone (killed)", target: "neon-proxy", action: "stop" },
];

type Row = {
  scenario: string;
  requests: number;
  answered: number;
  maxMs: number;
  cachedServed: string;
  writesLost: number;
  writesDuplicated: number;
  jobsLost: number;
  recoveryMs: number;
  statuses: string;
};
const table: Row[] = [];
let talk = 0;

beforeAll(async () => {
  talk = await talkId();
});

afterAll(() => {
  if (!REPORT || table.length === 0) return;
  const columns = Object.keys(table[0] ?? {}) as (keyof Row)[];
  const cell = (r: Row, c: keyof Row) => String(r[c]);
  const width = (c: keyof Row) => Math.max(c.length, ...table.map((r) => cell(r, c).length));
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  console.log(
    [
      `FAULTS (scale ${SCALE})`,
      line(columns.map((c) => c.padEnd(width(c)))),
      line(columns.map((c) => "-".repeat(width(c)))),
      ...table.map((r) => line(columns.map((c) => cell(r, c).padEnd(width(c))))),
    ].join("\n"),
  );
});

async function warm() {
  for (const page of CACHED_PAGES) {
    await eventually(async () => (await timed("cached", page)).status === 200, 10_000);
  }
  // Purged just before the fault: only the soft purge's keep copy can answer for it if the origin is down.
  const purge = await admin("POST", "/_admin/purge", { urls: [`${SITE}${TALK_PAGE}`] });
  expect(purge.res.status, purge.text).toBe(200);
  // A round's comments are all one user's: without this, the previous round's retries leave them a 429.
  const vars = inject("workerVars").origin;
  const redis = new Redis({
    url: vars.UPSTASH_REDIS_REST_URL ?? "",
    token: vars.UPSTASH_REDIS_REST_TOKEN ?? "",
  });
  const limits = await redis.keys("rl:write*");
  if (limits.length > 0) await redis.del(...limits);
}

/** Time from the fault's end until a signed-in page and a write both work again. */
async function recovery(tag: string): Promise<number> {
  const started = Date.now();
  let n = 0;
  await eventually(
    async () => {
      const page = await timed("signed-in", "/me", { headers: { cookie: "sid=dev-session-bob" } });
      if (page.status !== 200) return false;
      const write = await timed("register", `/events/edge-summit-2027/register`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ ...HUMAN, name: "Recovery", email: `recovery-${tag}-${n++}@example.com` }),
      });
      return write.status === 201;
    },
    15_000,
    50,
  );
  return Date.now() - started;
}

/** A person whose write failed sends it again, as the error page says is safe. */
async function retryFailed(outcomes: Outcome[]) {
  for (const o of outcomes) {
    if (!o.retry || o.status === 201) continue;
    await eventually(async () => (await o.retry?.())?.status === 201, 10_000, 100);
  }
}

/** Jobs staged by writes that committed after their client gave up are swept out of the outbox. */
async function sweepAndWait(emails: string[], keys: string[]) {
  // The relays may hold some of these rows right now: taking them in id order, skipping locked ones, cannot
  // deadlock with them (a row a relay holds is being sent anyway).
  await sql()`update job_outbox set available_at = now()
    where id in (select id from job_outbox order by id for update skip locked)`;
  expect((await admin("POST", "/_admin/cron")).res.status).toBe(200);
  return eventually(async () => {
    const l = await ledger(emails, keys);
    return l.confirmations.every((n) => n >= 1) && l;
  }, 10_000);
}

describe("faults on the real stack", () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: every request answered in time, nothing lost, recovered`, async () => {
      const tag = `${s.target}-${s.action}-${crypto.randomUUID().slice(0, 8)}`;
      await warm();
      const load = mixedLoad(tag, talk, SCALE);
      await control(`fault/${s.target}/${s.action}` as Fault);
      let outcomes: Outcome[];
      try {
        outcomes = await load.run();
      } finally {
        await control(`fault/${s.target}/${s.action === "freeze" ? "thaw" : "start"}` as Fault);
      }
      const recoveryMs = await recovery(tag);
      await retryFailed(outcomes);
      const after = await sweepAndWait(load.emails, load.keys);

      const cached = outcomes.filter((o) => o.kind === "cached");
      const row: Row = {
        scenario: s.name,
        requests: outcomes.length,
        answered: outcomes.filter((o) => o.status > 0).length,
        maxMs: Math.max(...outcomes.map((o) => o.ms)),
        cachedServed: `${cached.filter((o) => o.status === 200).length}/${cached.length}`,
        writesLost: [...after.registrations, ...after.comments].filter((n) => n === 0).length,
        writesDuplicated: [...after.registrations, ...after.comments].filter((n) => n > 1).length,
        jobsLost: after.confirmations.filter((n) => n === 0).length,
        recoveryMs,
        statuses: summarise(outcomes),
      };
      table.push(row);

      expect(row.answered, row.statuses).toBe(row.requests);
      expect(row.maxMs, row.statuses).toBeLessThanOrEqual(ANSWER_WITHIN_MS);
      expect(row.cachedServed).toBe(`${cached.length}/${cached.length}`);
      // A fault answers 503/504 (with Retry-After), never a bare 500.
      expect(outcomes.filter((o) => o.status === 500 || o.status === 502)).toEqual([]);
      expect(row.writesLost).toBe(0);
      expect(row.writesDuplicated).toBe(0);
      expect(row.jobsLost).toBe(0);
      expect(after.confirmations.every((n) => n === 1)).toBe(true);
      expect(recoveryMs).toBeLessThanOrEqual(RECOVER_WITHIN_MS);
    }, 60_000);
  }
});

function summarise(outcomes: Outcome[]): string {
  const by = new Map<string, number>();
  for (const o of outcomes) by.set(`${o.kind} ${o.status}`, (by.get(`${o.kind} ${o.status}`) ?? 0) + 1);
  return [...by.entries()].map(([k, n]) => `${k}×${n}`).join(", ");
}
