// The search page: the form with its facets, ranked results with highlighted titles and snippets, paging.

import {
  MAX_PAGE,
  PAGE_SIZE,
  type SearchHit,
  type SearchRow,
} from "../../../../shared/search/examples/index.ts";
import { highlightSegments, type SearchValues, searchQueryString } from "../../../../shared/search/index.ts";
import { Layout } from "../layout.tsx";
import { when } from "./home.tsx";

function Marked(props: { text: string }) {
  return <>{highlightSegments(props.text).map((s) => (s.hit ? <mark>{s.text}</mark> : s.text))}</>;
}

function href(hit: SearchHit): string {
  return hit.kind === "t" && hit.talk_slug
    ? `/events/${hit.event_slug}/talks/${hit.talk_slug}`
    : `/events/${hit.event_slug}`;
}

function pageLink(values: SearchValues, page: number): string {
  const singles = { ...values.singles, page: String(page) };
  if (page === 1) delete (singles as Record<string, string>).page;
  return `/search?${searchQueryString({ ...values, singles })}`;
}

export function SearchPage(props: {
  values: SearchValues;
  row: SearchRow;
  page: number;
  searched: boolean;
  didYouMean: string | null;
  user: { id: number } | null;
}) {
  const { values, row, page } = props;
  const topics = values.sets.topic ?? [];
  const last = Math.min(MAX_PAGE, Math.ceil(row.total / PAGE_SIZE));
  return (
    <Layout title={values.text.q ? `Search: ${values.text.q}` : "Search"} user={props.user}>
      <h1>Search events and talks</h1>
      <form method="get" action="/search" class="search">
        <label>
          Words <input name="q" type="search" value={values.text.q ?? ""} maxlength={200} data-suggest />
        </label>
        <fieldset>
          <legend>Topics (all of)</legend>
          {(row.topics ?? []).map((t) => (
            <label class="inline">
              <input type="checkbox" name="topic" value={t.slug} checked={topics.includes(t.slug)} /> {t.name}
            </label>
          ))}
        </fieldset>
        <label>
          City{" "}
          <select name="city">
            <option value="">Anywhere</option>
            {(row.cities ?? []).map((c) => (
              <option value={c} selected={values.singles.city === c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input name="from" type="date" value={values.singles.from ?? ""} />
        </label>
        <label>
          To <input name="to" type="date" value={values.singles.to ?? ""} />
        </label>
        {props.user && (
          <label class="inline">
            <input type="checkbox" name="mine" value="1" checked={values.flags.has("mine")} /> Only events I
            registered for
          </label>
        )}
        <button type="submit">Search</button>
      </form>
      {props.searched && (
        <section class="results" aria-live="polite">
          {props.didYouMean && (
            <p class="did-you-mean">
              Did you mean{" "}
              <a href={`/search?${searchQueryString({ ...values, text: { q: props.didYouMean } })}`}>
                {props.didYouMean}
              </a>
              ?
            </p>
          )}
          <p class="meta">
            {row.total === 0
              ? "Nothing found."
              : `${row.total} result${row.total === 1 ? "" : "s"}${last > 1 ? `, page ${page} of ${last}` : ""}`}
          </p>
          <ol class="hits">
            {row.results.map((hit) => (
              <li>
                <a href={href(hit)}>
                  <Marked text={hit.title} />
                </a>{" "}
                <span class="muted">{hit.kind === "e" ? "event" : "talk"}</span>
                <p class="meta">
                  {when(hit.starts_at)} · {hit.city}
                  {hit.speaker ? ` · ${hit.speaker}` : ""}
                </p>
                <p>
                  <Marked text={hit.snippet} />
                </p>
              </li>
            ))}
          </ol>
          <nav class="pages">
            {page > 1 && (
              <a href={pageLink(values, page - 1)} rel="prev">
                Previous
              </a>
            )}{" "}
            {page < last && (
              <a href={pageLink(values, page + 1)} rel="next">
                Next
              </a>
            )}
          </nav>
        </section>
      )}
    </Layout>
  );
}
