// The events list page.
import { Layout } from "../layout.tsx";

export interface EventSummary {
  slug: string;
  name: string;
  venue: string;
  city: string;
  startsAt: Date | string;
  registrationsCount: number;
}

export function when(d: Date | string): string {
  return new Date(d).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

export function HomePage(props: { events: EventSummary[]; user: { id: number } | null; promo: boolean }) {
  return (
    <Layout title="Upcoming events" user={props.user}>
      {props.promo && <p class="promo">New: follow talks and get reminders (beta).</p>}
      <h1>Upcoming events</h1>
      <ul class="cards">
        {props.events.map((e) => (
          <li class="card">
            <a href={`/events/${e.slug}`}>
              <h2>{e.name}</h2>
              <p>
                {when(e.startsAt)} · {e.venue}, {e.city}
              </p>
              <p class="muted">{e.registrationsCount} registered</p>
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
