// Retention through the real path: the prune job (enqueued as the hourly tick does) deletes what is past its
// window and keeps the rest.
import { describe, expect, it } from "vitest";
import { admin, eventually, sql } from "./helpers.ts";

describe("retention", () => {
  it("prunes expired sessions, old exposures and old ledger entries, and keeps recent ones", async () => {
    const tag = crypto.randomUUID();
    await sql()`insert into exposures (flag, variant, subject, first_seen)
      values (${`old-${tag}`}, 'on', 's', now() - interval '400 days'), (${`new-${tag}`}, 'on', 's', now())`;
    await sql()`insert into job_ledger (job_id, name, completed_at)
      values (${`old-${tag}`}, 'x', now() - interval '40 days'), (${`new-${tag}`}, 'x', now())`;
    const [user] = (await sql()`insert into users (email, name) values (${`ret-${tag}@example.com`}, 'R')
      returning id`) as { id: number }[];
    await sql()`insert into sessions (id, user_id, expires_at)
      values (${`old-${tag}`}, ${user?.id ?? 0}, now() - interval '8 days'),
             (${`new-${tag}`}, ${user?.id ?? 0}, now() + interval '1 day')`;

    const run = await admin("POST", "/_admin/jobs/enqueue", { name: "prune-retention", payload: {} });
    expect(run.res.status, run.text).toBe(202);

    await eventually(async () => {
      const left = (await sql()`
        select (select count(*) from exposures where flag = ${`old-${tag}`})::int
             + (select count(*) from job_ledger where job_id = ${`old-${tag}`})::int
             + (select count(*) from sessions where id = ${`old-${tag}`})::int as n`) as { n: number }[];
      return left[0]?.n === 0;
    }, 10_000);
    expect(await sql()`select 1 from exposures where flag = ${`new-${tag}`}`).toHaveLength(1);
    expect(await sql()`select 1 from job_ledger where job_id = ${`new-${tag}`}`).toHaveLength(1);
    expect(await sql()`select 1 from sessions where id = ${`new-${tag}`}`).toHaveLength(1);
  });
});
