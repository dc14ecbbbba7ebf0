// The events list, the event page (one round trip), and registration (a write, a job, a purge).
import { asc, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import * as z from "zod/mini";
import { events, uploads } from "../../../../shared/db/index.ts";
import {
  emailAddress,
  parseBody,
  parseParams,
  requiredText,
  slug as slugField,
  wantsJson,
} from "../../../../shared/http/index.ts";
import { confirmationJobId, siteJobs, userFacetsJobId } from "../../../../shared/jobs/examples/index.ts";
import { buildEnvelope, stageJob } from "../../../../shared/jobs/index.ts";
import { TURNSTILE_FIELD } from "../../../../shared/turnstile/index.ts";
import { purgeTags, sharedPage } from "../../cache-headers.ts";
import { requireHuman, turnstileWidget } from "../../codes.ts";
import type { OriginApp } from "../../context.ts";
import { relayAfterCommit } from "../../jobs.ts";
import { writeLimit } from "../../middleware/rate-limit.ts";
import { dataCache } from "../../services.ts";
import { EventPage } from "../../views/examples/event.tsx";
import { HomePage } from "../../views/examples/home.tsx";

const registration = z.object({
  name: requiredText(100),
  email: emailAddress,
  // Test hook (TEST_HOOKS only): the confirmation job fails its first n attempts; ≤ 10 as in its schema. Deployed
  // bundles compile the field out and drop it like any unknown one; its type (optional) holds in both.
  ...(globalThis.__TEST_HOOKS__
    ? { failTimes: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(10))) }
    : ({} as { failTimes: z.ZodMiniOptional<z.ZodMiniNumber> })),
  [TURNSTILE_FIELD]: z.optional(z.string().check(z.maxLength(2048))),
});

const eventParams = z.object({ slug: slugField });

export const eventRoutes = new Hono<OriginApp>()
  .get("/", async (c) => {
    const db = c.get("db");
    // Redis in front of the replica: one refresher per expiry (no stampede), and the site works if Redis is down.
    const list = await dataCache(c.get("config"), c.get("redisLog")).cached(
      "events:list",
      30,
      () => db.read.select().from(events).orderBy(asc(events.startsAt)),
      { tags: ["events"], waitUntil: (p) => c.executionCtx.waitUntil(p) },
    );
    sharedPage(c, ["events"]);
    return c.html(
      <HomePage events={list} user={c.get("edge").user} promo={c.get("flags").isOn("home-promo")} />,
    );
  })
  .get("/events/:slug", async (c) => {
    const { slug } = parseParams(c, eventParams);
    // One round trip: the relational query compiles the event, its talks and photos into one statement.
    const event = await c.get("db").read.query.events.findFirst({
      where: eq(events.slug, slug),
      with: {
        talks: { columns: { slug: true, title: true, speaker: true }, orderBy: (t, { asc }) => [asc(t.id)] },
        uploads: {
          columns: { key: true, width: true, height: true },
          where: eq(uploads.status, "ready"),
          orderBy: (u, { desc }) => [desc(u.id)],
          limit: 12,
        },
      },
    });
    if (!event) throw new HTTPException(404, { message: "No such event." });
    sharedPage(c, [`event:${event.id}`]);
    return c.html(
      <EventPage
        event={{ ...event, photos: event.uploads }}
        user={c.get("edge").user}
        registered={c.req.query("registered") === "1"}
        ctaVariant={c.get("flags").variant("register-cta")}
        turnstile={turnstileWidget(c)}
      />,
    );
  })
  .post("/events/:slug/register", writeLimit, async (c) => {
    const { slug } = parseParams(c, eventParams);
    const input = await parseBody(c, registration);
    await requireHuman(c, input[TURNSTILE_FIELD]);
    // The confirmation is staged in the registration's own transaction, under an id fixed per registration: a
    // retried post (after a timeout) registers once and confirms once.
    const job = buildEnvelope(
      siteJobs,
      "send-confirmation",
      {
        eventSlug: slug,
        email: input.email,
        name: input.name,
        ...(globalThis.__TEST_HOOKS__ && c.get("config").TEST_HOOKS && input.failTimes !== undefined
          ? { failTimes: input.failTimes }
          : {}),
      },
      { id: await confirmationJobId(slug, input.email) },
    );
    // The registrant's "registered for" search facet follows the registration, through the same outbox.
    const facets = buildEnvelope(
      siteJobs,
      "search-facets",
      { kind: "user", email: input.email },
      { id: await userFacetsJobId(slug, input.email) },
    );
    // One statement: insert (idempotent per email) and bump the counter only if a row was inserted; the job rows
    // only if the event exists.
    const { results, token } = await c.get("db").write((p) => [
      p.execute(sql`
        with e as (select id, name from ${events} where slug = ${slug}),
        ins as (
          insert into registrations (event_id, name, email)
          select e.id, ${input.name}, ${input.email} from e
          on conflict (event_id, email) do nothing
          returning id, event_id
        ),
        bump as (
          update ${events} set registrations_count = registrations_count + 1
          where id = (select event_id from ins) returning id
        ),
        job as (${stageJob(job, sql`exists (select 1 from e)`)}),
        facets as (${stageJob(facets, sql`exists (select 1 from e)`)})
        select e.id as event_id, e.name as event_name,
          coalesce((select id from ins), r.id) as registration_id, (select id from ins) is not null as inserted
        from e left join registrations r on r.event_id = e.id and r.email = ${input.email}`),
    ]);
    const row = results[0].rows[0] as
      | { event_id: number; event_name: string; registration_id: number; inserted: boolean }
      | undefined;
    if (!row) throw new HTTPException(404, { message: "No such event." });
    relayAfterCommit(c, [job.id, facets.id], token);
    // The list shows counts: invalidate its Redis group and the cached pages of both.
    await dataCache(c.get("config")).bump("events");
    purgeTags(c, [`event:${row.event_id}`, "events"]);
    if (wantsJson(c)) {
      return c.json({ registered: true, duplicate: !row.inserted, eventId: row.event_id }, 201);
    }
    return c.redirect(`/events/${slug}?registered=1`, 303);
  });
