// The example site's pages: events list, event page with talks, registration.
import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { events, talks } from "../../../shared/db/schema";
import type { OriginApp } from "../context";
import { Layout } from "../views/layout";

export const pages = new Hono<OriginApp>()
  .get("/", async (c) => {
    const list = await c.get("db").read.select().from(events).orderBy(asc(events.startsAt));
    c.header("cache-control", "public, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400");
    c.header("cache-tag", "events");
    return c.html(
      <Layout title="Upcoming events">
        <h1>Upcoming events</h1>
        <ul class="events">
          {list.map((e) => (
            <li>
              <a href={`/events/${e.slug}`}>{e.name}</a> — {e.venue}
            </li>
          ))}
        </ul>
      </Layout>,
    );
  })
  .get("/events/:slug", async (c) => {
    const db = c.get("db");
    const event = await db.read.query.events.findFirst({ where: eq(events.slug, c.req.param("slug")) });
    if (!event) throw new HTTPException(404, { message: "No such event" });
    const list = await db.read.select().from(talks).where(eq(talks.eventId, event.id));
    c.header("cache-control", "public, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400");
    c.header("cache-tag", `event:${event.id}`);
    return c.html(
      <Layout title={event.name}>
        <h1>{event.name}</h1>
        <p>{event.venue}</p>
        <ul>
          {list.map((t) => (
            <li>{t.title}</li>
          ))}
        </ul>
      </Layout>,
    );
  });
