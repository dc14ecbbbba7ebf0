// Background jobs through the real path: edge → origin → queue → jobs Worker → Postgres (dev mailbox, ledger, dead jobs).
import { describe, expect, it } from "vitest";
import { admin, eventually, HUMAN, holds, site, sql } from "./helpers.ts";

const EVENT = "edge-summit-2027";

type MailRow = { job_id: string; subject: string; body: string; created_at: string };
type DeadRow = {
  job_id: string;
  name: string;
  error: string;
  attempts: number;
  failed_at: string;
  rerun_at: string | null;
};

async function register(
  extra: Record<string, unknown> = {},
  email = `jobs-${crypto.randomUUID()}@example.com`,
  headers: Record<string, string> = {},
) {
  const { res, body } = await site(`/events/${EVENT}/register`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ ...HUMAN, name: "Jobs Test", email, ...extra }),
  });
  return { email, status: res.status, body };
}

async function mailFor(email: string) {
  return (await sql()`select id as job_id, subject, body, created_at::text from dev_mailbox where recipient = ${email}`) as MailRow[];
}

async function ledgerHas(jobId: string) {
  const rows = await sql()`select job_id from job_ledger where job_id = ${jobId}`;
  return rows.length === 1;
}

async function deadRow(jobId: string) {
  const rows = (await sql()`
    select job_id, name, error, attempts, failed_at::text, rerun_at::text from dead_jobs where job_id = ${jobId}`) as DeadRow[];
  return rows[0];
}

/** A dead job put straight into the table, as if it had died earlier: the admin rerun is the only door to the raw queue. */
async function insertDead(name: string, payload: unknown) {
  const jobId = crypto.randomUUID();
  await sql()`insert into dead_jobs (job_id, name, payload, error, attempts, failed_at)
    values (${jobId}, ${name}, ${JSON.stringify(payload)}::jsonb, 'inserted by test', 5, now() - interval '1 hour')`;
  return jobId;
}

async function oneMailRow(email: string, timeoutMs: number) {
  const rows = await eventually(async () => {
    const r = await mailFor(email);
    return r.length > 0 && r;
  }, timeoutMs);
  const row = rows[0];
  if (rows.length !== 1 || !row) throw new Error(`expected one mail for ${email}, got ${rows.length}`);
  return row;
}

describe("registration confirmations", () => {
  it("enqueue ONE confirmation that lands in the mailbox exactly once, recorded in the ledger", async () => {
    const r = await register();
    expect(r.status, r.body).toBe(201);
    expect(JSON.parse(r.body)).toMatchObject({ registered: true, duplicate: false });

    const row = await oneMailRow(r.email, 10_000);
    expect(row.subject).toMatch(/^You're registered: Edge Summit 2027$/);
    expect(row.body).toContain("Hello Jobs Test");
    await eventually(() => ledgerHas(row.job_id), 5_000);

    // Registering again is a no-op: no second job, so no second confirmation.
    const again = await register({}, r.email);
    expect(again.status, again.body).toBe(201);
    expect(JSON.parse(again.body)).toMatchObject({ registered: true, duplicate: true });
    await holds(async () => (await mailFor(r.email)).length === 1, 800);
  });

  it("retries a failing confirmation with backoff and still sends exactly one mail (failTimes: 2)", async () => {
    const r = await register({ failTimes: 2 });
    expect(r.status, r.body).toBe(201);
    // The handler writes first and then fails: the row exists after attempt 1, the ledger only after attempt 3.
    const row = await oneMailRow(r.email, 10_000);
    const started = Date.now();
    await eventually(() => ledgerHas(row.job_id), 30_000, 200);
    const waited = Date.now() - started;

    expect(await mailFor(r.email)).toHaveLength(1);
    expect(await deadRow(row.job_id)).toBeUndefined();
    // Two redeliveries each wait at least one batch window (0.2 s) plus a jittered delay of 0–2 s and 0–4 s.
    const [gap] = (await sql()`
      select extract(epoch from l.completed_at - o.created_at)::float8 as s
      from dev_mailbox o join job_ledger l on l.job_id = o.id where o.id = ${row.job_id}`) as { s: number }[];
    expect(gap?.s).toBeGreaterThan(0.3);
    expect(gap?.s).toBeLessThan(8);
    console.log(JSON.stringify({ test: "failTimes-2", ledgerAfterMs: waited, attempt1ToDoneS: gap?.s }));
  });

  it("refuses failTimes the job schema would reject before committing anything it cannot confirm", async () => {
    // The job's schema caps failTimes at 10; anything above must be a 400, not a committed registration
    // whose confirmation can never be enqueued.
    const r = await register({ failTimes: 100 });
    expect(r.status, r.body).toBe(400);
    expect(await sql()`select 1 from registrations where email = ${r.email}`).toHaveLength(0);
  });
});

describe("the transactional outbox", () => {
  // The registration's confirmation (the same write also stages its search-facets job).
  const staged = async (email: string) =>
    (await sql()`select o.id from job_outbox o
      where o.name = 'send-confirmation' and o.envelope->'payload'->>'email' = ${email}`) as { id: string }[];
  const sweep = async () => {
    const r = await admin("POST", "/_admin/cron");
    expect(r.res.status, r.text).toBe(200);
    return r.json as { swept: number };
  };

  it("relays after commit and leaves no row behind", async () => {
    const r = await register();
    expect(r.status, r.body).toBe(201);
    await oneMailRow(r.email, 10_000);
    await eventually(async () => (await staged(r.email)).length === 0, 5_000);
  });

  it("a relay that never ran (failure between commit and relay): the sweep sends it, the job runs once", async () => {
    const r = await register({}, undefined, { "x-test-relay-fault": "before-send" });
    expect(r.status, r.body).toBe(201);
    // Committed with the registration, never sent.
    expect(await staged(r.email)).toHaveLength(1);
    expect(await mailFor(r.email)).toHaveLength(0);
    // The failing relay runs after the response (waitUntil): let it claim and give up first, or it holds the rows
    // (skip locked) while the sweep below looks for them.
    await eventually(async () => {
      const rows = (await sql()`select attempts from job_outbox
        where envelope->'payload'->>'email' = ${r.email}`) as { attempts: number }[];
      return rows.length > 0 && rows.every((row) => row.attempts >= 1);
    }, 5_000);
    // The sweep takes rows once the relay's head start is over (15 s): skip the wait by moving it.
    await sql()`update job_outbox set available_at = now() where envelope->'payload'->>'email' = ${r.email}`;
    expect((await sweep()).swept).toBeGreaterThanOrEqual(1);
    const row = await oneMailRow(r.email, 10_000);
    await eventually(() => ledgerHas(row.job_id), 5_000);
    expect(await staged(r.email)).toHaveLength(0);
  });

  it("a relay that sent but did not finish: the sweep sends it again and the ledger keeps it to one email", async () => {
    const r = await register({}, undefined, { "x-test-relay-fault": "after-send" });
    expect(r.status, r.body).toBe(201);
    const row = await oneMailRow(r.email, 10_000);
    await eventually(() => ledgerHas(row.job_id), 5_000);
    expect(await staged(r.email)).toHaveLength(1);
    await sql()`update job_outbox set available_at = now() where envelope->'payload'->>'email' = ${r.email}`;
    expect((await sweep()).swept).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await staged(r.email)).length === 0, 5_000);
    // The duplicate delivery has been consumed (or is about to be): still one confirmation.
    await eventually(async () => {
      const [n] = (await sql()`select count(*)::int as n from job_ledger where job_id = ${row.job_id}`) as {
        n: number;
      }[];
      return n?.n === 1;
    }, 5_000);
    expect(await mailFor(r.email)).toHaveLength(1);
  });

  it("ignores the failure point unless test hooks are on, and a repeated registration stages nothing new", async () => {
    const r = await register();
    await oneMailRow(r.email, 10_000);
    const again = await register({}, r.email);
    expect(JSON.parse(again.body)).toMatchObject({ duplicate: true });
    await eventually(async () => (await staged(r.email)).length === 0, 5_000);
    expect(await mailFor(r.email)).toHaveLength(1);
  });
});

describe("dead jobs", () => {
  it("kills a poison job after its 5 attempts, lists it, and reruns it with a fresh delivery", async () => {
    const started = Date.now();
    const r = await register({ failTimes: 10 });
    expect(r.status, r.body).toBe(201);
    const row = await oneMailRow(r.email, 10_000);

    // Backoff base 2 s with full jitter: delays of 0–2, 0–4, 0–8 and 0–16 s before attempts 2–5 (≤ 30 s).
    const dead = await eventually(async () => deadRow(row.job_id), 40_000, 250);
    const tookMs = Date.now() - started;
    console.log(JSON.stringify({ test: "poison", deadAfterMs: tookMs }));
    expect(dead).toMatchObject({ name: "send-confirmation", attempts: 5, rerun_at: null });
    expect(dead.error).toContain("failing attempt 5 of 10");
    expect(await ledgerHas(row.job_id)).toBe(false);

    const list = await admin("GET", "/_admin/jobs/dead");
    expect(list.res.status, list.text).toBe(200);
    const listed = (list.json as { dead: { jobId: string; attempts: number; payload: { email: string } }[] })
      .dead;
    expect(listed.find((j) => j.jobId === row.job_id)).toMatchObject({
      attempts: 5,
      payload: { email: r.email },
    });

    // Re-delivery is visible because the handler sends its mail before failing: clear it, rerun, watch it return.
    await sql()`delete from dev_mailbox where id = ${row.job_id}`;
    const rerun = await admin("POST", `/_admin/jobs/dead/${row.job_id}/rerun`);
    expect(rerun.res.status, rerun.text).toBe(200);
    expect(rerun.json).toEqual({ rerun: row.job_id, name: "send-confirmation" });
    expect((await deadRow(row.job_id))?.rerun_at).not.toBeNull();
    await oneMailRow(r.email, 10_000);

    // Claimed once: a second click finds nothing to rerun, and the default list hides it.
    const twice = await admin("POST", `/_admin/jobs/dead/${row.job_id}/rerun`);
    expect(twice.res.status).toBe(404);
    const after = (await admin("GET", "/_admin/jobs/dead")).json as { dead: { jobId: string }[] };
    expect(after.dead.some((j) => j.jobId === row.job_id)).toBe(false);
  }, 60_000);

  it("a rerun whose cause is gone completes: one mail and a ledger entry under the same job id", async () => {
    const email = `rerun-${crypto.randomUUID()}@example.com`;
    // A registration whose confirmation died earlier (made here directly, so no job of its own runs).
    await sql()`insert into registrations (event_id, name, email)
      select id, 'Rerun', ${email} from events where slug = ${EVENT}`;
    const jobId = await insertDead("send-confirmation", { eventSlug: EVENT, email, name: "Rerun" });
    const rerun = await admin("POST", `/_admin/jobs/dead/${jobId}/rerun`);
    expect(rerun.res.status, rerun.text).toBe(200);
    const row = await oneMailRow(email, 10_000);
    expect(row.job_id).toBe(jobId);
    await eventually(() => ledgerHas(jobId), 5_000);
    expect((await deadRow(jobId))?.rerun_at).not.toBeNull();
  });

  it("an invalid payload never runs and goes dead at once (attempt 1), even when sent straight to the queue", async () => {
    // The origin validates on enqueue, so the only raw path onto the real queue is the rerun of a stored payload.
    const email = "not-an-email";
    const jobId = await insertDead("send-confirmation", { eventSlug: EVENT, email, name: "Bad" });
    const rerun = await admin("POST", `/_admin/jobs/dead/${jobId}/rerun`);
    expect(rerun.res.status, rerun.text).toBe(200);

    const dead = await eventually(async () => {
      const d = await deadRow(jobId);
      return d && d.rerun_at === null && d;
    }, 10_000);
    expect(dead.attempts).toBe(1);
    expect(dead.error).toContain('invalid payload for job "send-confirmation"');
    expect(dead.error).toContain("email");
    expect(await sql()`select 1 from dev_mailbox where id = ${jobId}`).toHaveLength(0);
    expect(await ledgerHas(jobId)).toBe(false);
  });

  it("an unknown job name goes dead at once too", async () => {
    const jobId = await insertDead("no-such-job", { anything: true });
    expect((await admin("POST", `/_admin/jobs/dead/${jobId}/rerun`)).res.status).toBe(200);
    const dead = await eventually(async () => {
      const d = await deadRow(jobId);
      return d && d.rerun_at === null && d;
    }, 10_000);
    expect(dead).toMatchObject({ attempts: 1, name: "no-such-job" });
    expect(dead.error).toContain('unknown job "no-such-job"');
  });

  it("shows one dead job, counts them per job, and discards one for good", async () => {
    const jobId = await insertDead("send-confirmation", {
      eventSlug: EVENT,
      email: "x@example.com",
      name: "X",
    });
    const shown = await admin("GET", `/_admin/jobs/dead/${jobId}`);
    expect(shown.res.status, shown.text).toBe(200);
    expect(shown.json).toMatchObject({ job: { jobId, name: "send-confirmation", attempts: 5 } });
    const stats = (await admin("GET", "/_admin/jobs/stats")).json as { dead: Record<string, number> };
    expect(stats.dead["send-confirmation"]).toBeGreaterThanOrEqual(1);
    expect((await admin("DELETE", `/_admin/jobs/dead/${jobId}`)).res.status).toBe(200);
    expect(await deadRow(jobId)).toBeUndefined();
    expect((await admin("DELETE", `/_admin/jobs/dead/${jobId}`)).res.status).toBe(404);
    expect((await admin("POST", `/_admin/jobs/dead/${jobId}/rerun`)).res.status).toBe(404);
  });

  it("runs a job an operator enqueues by name (the city backfill), and refuses unknown names and bad payloads", async () => {
    const r = await admin("POST", "/_admin/jobs/enqueue", {
      name: "backfill-city",
      payload: { batchSize: 2 },
    });
    expect(r.res.status, r.text).toBe(202);
    const { enqueued } = r.json as { enqueued: string };
    await eventually(() => ledgerHas(enqueued), 10_000);
    expect((await sql()`select count(*)::int as n from events where city is null`)[0]?.n).toBe(0);
    expect((await admin("POST", "/_admin/jobs/enqueue", { name: "no-such-job" })).res.status).toBe(404);
    const bad = await admin("POST", "/_admin/jobs/enqueue", {
      name: "backfill-city",
      payload: { batchSize: 0 },
    });
    expect(bad.res.status).toBe(400);
    expect(bad.text).toContain("batchSize");
  });

  it("refuses the dead-jobs API without the admin token", async () => {
    const { res } = await site("/_admin/jobs/dead");
    expect(res.status).toBe(401);
  });
});
