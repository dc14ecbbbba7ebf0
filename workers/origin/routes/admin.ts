// Operator endpoints on the origin (the edge forwards /_admin/* here): flags, dead jobs, scheduled-work tick.

import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import * as z from "zod/mini";
import { jobOutbox } from "../../../shared/db/index.ts";
import { flagsAdmin } from "../../../shared/flagstore/index.ts";
import { adminAuth, parseBody, parseParams, parseQuery, requiredText } from "../../../shared/http/index.ts";
import { enqueueSiteCron, siteJobs } from "../../../shared/jobs/examples/index.ts";
import {
  buildEnvelope,
  type Envelope,
  listDeadJobs,
  pgDeadJobs,
  rerunDeadJob,
  runScheduledWork,
} from "../../../shared/jobs/index.ts";
import { kickSwitchboard } from "../../../shared/switchboard/index.ts";
import type { OriginApp } from "../context.ts";

const deadJobId = z.object({ id: requiredText(200) });
const enqueueBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  payload: z._default(z.unknown(), {}),
  delaySeconds: z.optional(z.number().check(z.int(), z.gte(0), z.lte(43_200))),
});
const deadListQuery = z.object({
  all: z.pipe(
    z.optional(z.enum(["0", "1"])),
    z.transform((v) => v === "1"),
  ),
});

const jobsAdmin = new Hono<OriginApp>()
  .use(
    "/_admin/jobs/*",
    adminAuth<OriginApp>((c) => c.get("config").ADMIN_TOKEN),
  )
  .use(
    "/_admin/cron",
    adminAuth<OriginApp>((c) => c.get("config").ADMIN_TOKEN),
  )
  .get("/_admin/jobs/dead", async (c) => {
    const { all } = parseQuery(c, deadListQuery);
    const dead = await listDeadJobs(pgDeadJobs(c.get("db").primary), { limit: 100, includeRerun: all });
    return c.json({ dead });
  })
  .get("/_admin/jobs/stats", async (c) => {
    const db = c.get("db").primary;
    const [dead, [outbox]] = await Promise.all([
      pgDeadJobs(db).counts(),
      db.select({ n: sql<number>`count(*)::int` }).from(jobOutbox),
    ]);
    return c.json({ dead, outboxPending: Number(outbox?.n ?? 0) });
  })
  .get("/_admin/jobs/dead/:id", async (c) => {
    const { id } = parseParams(c, deadJobId);
    const job = await pgDeadJobs(c.get("db").primary).get(id);
    if (!job) throw new HTTPException(404, { message: "No dead job with that id." });
    return c.json({ job });
  })
  .delete("/_admin/jobs/dead/:id", async (c) => {
    const { id } = parseParams(c, deadJobId);
    if (!(await pgDeadJobs(c.get("db").primary).discard(id)))
      throw new HTTPException(404, { message: "No dead job with that id." });
    return c.json({ discarded: id });
  })
  // Operators start a job by hand (a backfill, a flush now), validated like any enqueue.
  .post("/_admin/jobs/enqueue", async (c) => {
    const input = await parseBody(c, enqueueBody);
    if (!(input.name in siteJobs)) throw new HTTPException(404, { message: `No job named "${input.name}".` });
    let envelope: Envelope;
    try {
      envelope = buildEnvelope(siteJobs, input.name as keyof typeof siteJobs, input.payload as never);
    } catch (error) {
      throw new HTTPException(400, { message: error instanceof Error ? error.message : String(error) });
    }
    await c.env.JOBS.send(envelope, input.delaySeconds ? { delaySeconds: input.delaySeconds } : {});
    return c.json({ enqueued: envelope.id, name: envelope.name }, 202);
  })
  .post("/_admin/jobs/dead/:id/rerun", async (c) => {
    const { id } = parseParams(c, deadJobId);
    const sent = await rerunDeadJob({ dead: pgDeadJobs(c.get("db").primary), queue: c.env.JOBS }, id);
    if (!sent)
      throw new HTTPException(404, { message: "No dead job with that id (or it was already re-run)." });
    return c.json({ rerun: sent.id, name: sent.name });
  })
  // Cron Triggers do not fire under `wrangler dev`; the dev script calls this every minute instead (and tests call
  // it to sweep the outbox without waiting). The same work as the jobs Worker's scheduled handler.
  .post("/_admin/cron", async (c) => {
    const [report] = await Promise.all([
      runScheduledWork({
        db: c.get("db").primary,
        queue: c.env.JOBS,
        readOnly: c.get("edge").readOnly,
        site: enqueueSiteCron,
      }),
      kickSwitchboard(c.get("config").bindings.SWITCHBOARD),
    ]);
    return c.json(report);
  });

export const admin = new Hono<OriginApp>()
  .route(
    "/",
    flagsAdmin<OriginApp>(
      (c) => ({
        db: c.get("db").primary,
        kv: c.get("config").bindings.CONFIG,
        board: c.get("config").bindings.SWITCHBOARD,
      }),
      (c) => c.get("config").ADMIN_TOKEN,
    ),
  )
  .route("/", jobsAdmin);
