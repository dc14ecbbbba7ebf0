// "Did you mean": the example's vocabulary (words of titles, speakers, event names and places, as typed) and the
// closest known word for each word of a search that found nothing, by trigram similarity (pg_trgm).
import { type SQL, sql } from "drizzle-orm";

/**
 * Rewrites search_words from the documents' text: one statement, about 0.6 s on the 50,000-talk corpus, so it
 * runs with the rebuild (`npm run search -- rebuild`), never per request. Result: one row `{ words }`.
 */
export function refreshSearchWords(): SQL {
  return sql`with fresh as (
      select word, ndoc from ts_stat($$
        select to_tsvector('simple', title || ' ' || speaker) from talks
        union all select to_tsvector('simple', name || ' ' || city || ' ' || venue) from events$$)
      where length(word) between 3 and 40
    ), gone as (
      delete from search_words w where not exists (select 1 from fresh f where f.word = w.word)
    ), kept as (
      insert into search_words (word, docs) select word, ndoc from fresh
      on conflict (word) do update set docs = excluded.docs where search_words.docs <> excluded.docs
    )
    select count(*)::int as words from fresh`;
}

export type WordMatch = { input: string; known: boolean; best: string | null };

/** For each word: whether the vocabulary has it, else its most similar word (ties: the more common one). */
export function didYouMeanStatement(words: readonly string[]): SQL {
  return sql`select w.input,
      exists (select 1 from search_words s where s.word = w.input) as known,
      (select s.word from search_words s where s.word % w.input
        order by similarity(s.word, w.input) desc, s.docs desc, s.word limit 1) as best
    from unnest(array(select json_array_elements_text(${JSON.stringify(words)}::json))) as w(input)`;
}

/** The corrections worth offering: unknown words that have a close known one. */
export function corrections(matches: readonly WordMatch[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of matches) if (!m.known && m.best && m.best !== m.input) out.set(m.input, m.best);
  return out;
}
