// The talk page; the `new-talk-page` flag switches to the new layout.
import { Layout } from "../layout.tsx";

export interface TalkPageData {
  id: number;
  title: string;
  speaker: string;
  abstract: string;
  views: number;
  event: { slug: string; name: string };
  comments: { author: string; body: string; createdAt: Date | string }[];
}

export function TalkPage(props: { talk: TalkPageData; user: { id: number } | null; newLayout: boolean }) {
  const t = props.talk;
  return (
    <Layout title={t.title} user={props.user}>
      <article
        class={props.newLayout ? "talk talk-new" : "talk"}
        data-layout={props.newLayout ? "new" : "classic"}
      >
        <p>
          <a href={`/events/${t.event.slug}`}>← {t.event.name}</a>
        </p>
        <h1>{t.title}</h1>
        <p class="meta">
          {t.speaker} · {t.views} views
        </p>
        {props.newLayout && <p class="badge">New talk page</p>}
        <p>{t.abstract}</p>
        <h2>Comments</h2>
        <ul class="comments">
          {t.comments.map((c) => (
            <li>
              <strong>{c.author}</strong>: {c.body}
            </li>
          ))}
        </ul>
        {props.user && (
          <form method="post" action={`/talks/${t.id}/comments`} data-idempotent>
            <input type="hidden" name="idempotencyKey" value="" />
            <label>
              Comment <textarea name="body" required maxlength={2000} />
            </label>
            <button type="submit">Post</button>
          </form>
        )}
      </article>
    </Layout>
  );
}
