// The talk page (behind the `new-talk-page` flag), view counting, comments, and a talk's topics (staff).
import { eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import * as z from "zod/mini";
import { comments, events, talks, users } from "../../../../shared/db/index.ts";
import {
  id,
  parseBody,
  parseParams,
  plainText,
  requiredText,
  slug,
  wantsJson,
} from "../../../../shared/http/index.ts";
import { siteJobs } from "../../../../shared/jobs/examples/index.ts";
import { buildEnvelope, stageJob } from "../../../../shared/jobs/index.ts";
import { purgeTags, sharedPage } from "../../cache-headers.ts";
import type { OriginApp } from "../../context.ts";
import { relayAfterCommit } from "../../jobs.ts";
import { writeLimit } from "../../middleware/rate-limit.ts";
import { counters } from "../../services.ts";
import { TalkPage } from "../../views/examples/talk.tsx";

const talkPage = z.object({ event: slug, talk: slug });
const talkId = z.object({ id });

const comment = z.object({
  body: requiredText(2000),
  // From the page's script; absent without JavaScript (then a retry may save twice).
  idempotencyKey: z.pipe(
    z.optional(
      z.union([
        z.literal(""),
        z.string().check(z.regex(/^[A-Za-z0-9-]{16,64}$/, "must be 16–64 letters, digits or dashes")),
      ]),
    ),
    z.transform((k) => k || undefined),
  ),
});

// A JSON list or a form's comma-separated text; at most 5 known topic slugs (unknown ones are refused).
const topicList = z.object({
  topics: z.pipe(
    z.pipe(
      z.union([
        z.array(slug).check(z.maxLength(5)),
        z.pipe(
          plainText(300),
          z.transform((t) =>
            t
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        ),
      ]),
      z.array(slug).check(z.maxLength(5, "at most 5 topics")),
    ),
    z.transform((list) => [...new Set(list)]),
  ),
});

export const talkRoutes = new Hono<OriginApp>()
  .get("/events/:event/talks/:talk", async (c) => {
    const db = c.get("db");
    const params = parseParams(c, talkPage);
    // One round trip: talk, its event and its comments in one relational query.
    const event = await db.read.query.events.findFirst({
      where: eq(events.slug, params.event),
      columns: { id: true, slug: true, name: true },
      with: {
        talks: {
          where: eq(talks.slug, params.talk),
          with: { comments: { orderBy: (t, { asc }) => [asc(t.id)], limit: 100 } },
        },
      },
    });
    const talk = event?.talks[0];
    if (!event || !talk) throw new HTTPException(404, { message: "No such talk." });
    sharedPage(c, [`talk:${talk.id}`, `event:${event.id}`]);
    return c.html(
      <TalkPage
        talk={{ ...talk, event: { slug: event.slug, name: event.name } }}
        user={c.get("edge").user}
        newLayout={c.get("flags").isOn("new-talk-page")}
      />,
    );
  })
  // Views are counted by a beacon (pages are served from the edge cache), buffered in Redis, flushed in batches.
  .post("/talks/:id/view", async (c) => {
    const { id } = parseParams(c, talkId);
    c.executionCtx.waitUntil(counters(c.get("config")).incr("talk-views", id));
    c.header("cache-control", "no-store");
    return c.body(null, 204);
  })
  .post("/talks/:id/comments", writeLimit, async (c) => {
    const user = c.get("edge").user;
    if (!user) throw new HTTPException(401, { message: "Sign in to comment." });
    const { id } = parseParams(c, talkId);
    const input = await parseBody(c, comment);
    const key = input.idempotencyKey ?? null;
    const { results } = await c.get("db").write((p) => [
      p.execute(sql`
        with ins as (
          insert into ${comments} (talk_id, author, author_id, body, idempotency_key)
          select t.id, u.name, u.id, ${input.body}, ${key} from ${talks} t, ${users} u
          where t.id = ${id} and u.id = ${user.id}
          on conflict (idempotency_key) do nothing
          returning id
        )
        select (select id from ins) as inserted,
          (select id from ${comments} where ${key}::text is not null and idempotency_key = ${key}) as existing`),
    ]);
    const row = results[0].rows[0] as { inserted: number | null; existing: number | null } | undefined;
    // Saved now, or saved by an earlier try of this same submission: either way the comment is there once.
    if (!row || (row.inserted === null && row.existing === null))
      throw new HTTPException(404, { message: "No such talk." });
    purgeTags(c, [`talk:${id}`]);
    if (wantsJson(c)) return c.json({ ok: true }, 201);
    return c.redirect(c.req.header("referer") ?? "/", 303);
  })
  // Staff set a talk's topics; the search facet sets follow through the outbox (the job reads what committed).
  .put("/talks/:id/topics", writeLimit, async (c) => {
    const user = c.get("edge").user;
    if (!user) throw new HTTPException(401, { message: "Sign in to edit topics." });
    if (!user.tags.includes("staff")) throw new HTTPException(403, { message: "Only staff edit topics." });
    const { id } = parseParams(c, talkId);
    const { topics } = await parseBody(c, topicList);
    const job = buildEnvelope(siteJobs, "search-facets", { kind: "talk", talkId: id });
    const wanted = JSON.stringify(topics);
    // One statement, all or nothing: only for an existing talk and only if every topic is known.
    const { results, token } = await c.get("db").write((p) => [
      p.execute(sql`
        with talk as (select id from ${talks} where id = ${id}),
        wanted as (select tp.id from topics tp where tp.slug in (select json_array_elements_text(${wanted}::json))),
        ok as (select exists (select 1 from talk) and (select count(*) from wanted) = ${topics.length} as ok),
        del as (
          delete from talk_topics where talk_id = ${id} and (select ok from ok)
            and topic_id not in (select id from wanted) returning 1
        ),
        ins as (
          insert into talk_topics (talk_id, topic_id) select ${id}, id from wanted where (select ok from ok)
          on conflict do nothing returning 1
        ),
        job as (${stageJob(job, sql`(select ok from ok)`)})
        select exists (select 1 from talk) as found, (select ok from ok) as ok`),
    ]);
    const row = results[0].rows[0] as { found: boolean; ok: boolean } | undefined;
    if (!row?.found) throw new HTTPException(404, { message: "No such talk." });
    if (!row.ok) throw new HTTPException(400, { message: "topics: unknown topic" });
    relayAfterCommit(c, [job.id], token);
    purgeTags(c, ["search"]);
    return c.json({ talk: id, topics });
  });
