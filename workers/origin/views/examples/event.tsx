// The event page: details, talks, registration form, and photos people uploaded.

import { Layout } from "../layout.tsx";
import { Turnstile, type TurnstileWidget } from "../turnstile.tsx";
import { when } from "./home.tsx";

export interface EventPageData {
  id: number;
  slug: string;
  name: string;
  venue: string;
  city: string;
  description: string;
  startsAt: Date | string;
  registrationsCount: number;
  talks: { slug: string; title: string; speaker: string }[];
  photos: { key: string; width: number | null; height: number | null }[];
}

export function EventPage(props: {
  event: EventPageData;
  user: { id: number } | null;
  registered: boolean;
  ctaVariant: string;
  turnstile: TurnstileWidget;
}) {
  const e = props.event;
  const cta = props.ctaVariant === "bold" ? "Save my seat now" : "Register";
  return (
    <Layout title={e.name} user={props.user}>
      <article class="event">
        <h1>{e.name}</h1>
        <p class="meta">
          {when(e.startsAt)} · {e.venue}, {e.city} · <span id="count">{e.registrationsCount}</span> registered
        </p>
        <p>{e.description}</p>
        <h2>Talks</h2>
        <ul class="talks">
          {e.talks.map((t) => (
            <li>
              <a href={`/events/${e.slug}/talks/${t.slug}`}>{t.title}</a>{" "}
              <span class="muted">— {t.speaker}</span>
            </li>
          ))}
        </ul>
        {props.registered ? (
          <p class="notice" role="status">
            You are registered. A confirmation is on its way.
          </p>
        ) : (
          <form method="post" action={`/events/${e.slug}/register`} class="register">
            <h2>Register</h2>
            <label>
              Name <input name="name" required maxlength={100} />
            </label>
            <label>
              Email <input name="email" type="email" required maxlength={200} />
            </label>
            <Turnstile widget={props.turnstile} />
            <button type="submit" data-variant={props.ctaVariant}>
              {cta}
            </button>
          </form>
        )}
        {e.photos.length > 0 && (
          <section class="photos">
            <h2>Photos</h2>
            {e.photos.map((p) => (
              <img
                src={`/media/${p.key}`}
                width={p.width ?? undefined}
                height={p.height ?? undefined}
                alt=""
              />
            ))}
          </section>
        )}
      </article>
    </Layout>
  );
}
