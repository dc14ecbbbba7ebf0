// Console jobs page: dead jobs (payload, error, attempts, the request that queued them), counts per type, re-run, discard.
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { jobOutbox } from "../../../shared/db/index.ts";
import { type DeadJob, listDeadJobs, pgDeadJobs, rerunDeadJob } from "../../../shared/jobs/index.ts";
import type { ConsoleApp } from "./context.ts";
import { Wide, when } from "./layout.tsx";
import { page } from "./page.tsx";

function JobsPage(props: {
  dead: DeadJob[];
  counts: Record<string, number>;
  outbox: number;
  note: string | null;
}) {
  const types = Object.entries(props.counts).sort((a, b) => b[1] - a[1]);
  return (
    <>
      <h1>Jobs</h1>
      {props.note ? (
        <p class="console-ok" role="status">
          {props.note}
        </p>
      ) : null}
      <p>
        {props.outbox} waiting in the outbox (relayed after their transaction commits; the cron sweep sends
        any left behind).
      </p>
      <h2>Dead jobs per type</h2>
      {types.length === 0 ? (
        <p>No dead jobs.</p>
      ) : (
        <ul class="counts">
          {types.map(([name, n]) => (
            <li>
              <code>{name}</code> {n}
            </li>
          ))}
        </ul>
      )}
      {props.dead.length === 0 ? null : (
        <Wide>
          <table class="jobs">
            <thead>
              <tr>
                <th>job</th>
                <th>failed</th>
                <th>attempts</th>
                <th>request</th>
                <th>error</th>
                <th>payload</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {props.dead.map((j) => (
                <tr data-job={j.jobId}>
                  <td>
                    <code>{j.name}</code>
                    <br />
                    <small>{j.jobId}</small>
                  </td>
                  <td>{when(j.failedAt)}</td>
                  <td>{j.attempts}</td>
                  <td>
                    <code>{j.requestId ?? "–"}</code>
                  </td>
                  <td class="error-text">{j.error}</td>
                  <td>
                    <pre>{JSON.stringify(j.payload, null, 1)}</pre>
                  </td>
                  <td class="buttons">
                    <form method="post" action={`/admin/jobs/${encodeURIComponent(j.jobId)}/rerun`}>
                      <button type="submit">Re-run</button>
                    </form>
                    <form method="post" action={`/admin/jobs/${encodeURIComponent(j.jobId)}/discard`}>
                      <button type="submit">Discard</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Wide>
      )}
    </>
  );
}

const NOTES: Record<string, string> = {
  rerun: "Sent to the queue again with a fresh attempt count (same id: it cannot run twice).",
  discard: "Discarded: it will never run.",
  gone: "That job is no longer dead (re-run or discarded meanwhile).",
};

export const consoleJobs = new Hono<ConsoleApp>()
  .get("/admin/jobs", async (c) => {
    const db = c.get("db").primary;
    const dead = pgDeadJobs(db);
    const [list, counts, [outbox]] = await Promise.all([
      listDeadJobs(dead, { limit: 100 }),
      dead.counts(),
      db.select({ n: sql<number>`count(*)::int` }).from(jobOutbox),
    ]);
    const note = NOTES[c.req.query("done") ?? ""] ?? null;
    return page(
      c,
      { title: "Jobs", section: "jobs" },
      <JobsPage dead={list} counts={counts} outbox={Number(outbox?.n ?? 0)} note={note} />,
    );
  })
  .post("/admin/jobs/:id/rerun", async (c) => {
    const sent = await rerunDeadJob(
      { dead: pgDeadJobs(c.get("db").primary), queue: c.env.JOBS },
      c.req.param("id"),
    );
    return c.redirect(`/admin/jobs?done=${sent ? "rerun" : "gone"}`, 303);
  })
  .post("/admin/jobs/:id/discard", async (c) => {
    const gone = await pgDeadJobs(c.get("db").primary).discard(c.req.param("id"));
    return c.redirect(`/admin/jobs?done=${gone ? "discard" : "gone"}`, 303);
  });
