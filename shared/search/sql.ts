// SQL fragments for Postgres full-text search: the tsquery for parsed terms, ranking, highlighted snippets.
import { type SQL, sql } from "drizzle-orm";
import { HIT_CLOSE, HIT_OPEN } from "./highlight.ts";
import type { TsQueryText } from "./query.ts";

/** The text search configurations a site's documents were built with (see its migration). */
export interface TextConfigs {
  /** Stemmed words, e.g. 'english': the query's finished words are matched against these. */
  readonly stem: string;
  /** Words as written, e.g. 'simple': an unfinished last word is also matched as a prefix of these. */
  readonly plain: string;
}

/**
 * The tsquery, or null when there is nothing to match. to_tsquery is immutable and its arguments are bound
 * values, so Postgres folds it to a constant when planning and can estimate from the index's statistics; the
 * fragment is repeated where it is needed rather than joined in from a CTE, which would hide it from the planner.
 */
export function tsquerySql(q: TsQueryText, cfg: TextConfigs): SQL | null {
  const main = q.main === null ? null : sql`to_tsquery(${cfg.stem}::regconfig, ${q.main})`;
  const prefix =
    q.prefix === null
      ? null
      : sql`(to_tsquery(${cfg.stem}::regconfig, ${q.prefix}) || to_tsquery(${cfg.plain}::regconfig, ${q.prefix}))`;
  if (main && prefix) return sql`(${main} && ${prefix})`;
  return main ?? prefix;
}

/** Weights for D, C, B, A (Postgres' order); the default ranks a title match 10× a match in the event's name. */
export const DEFAULT_WEIGHTS: readonly [number, number, number, number] = [0.1, 0.2, 0.4, 1.0];

/**
 * Cover density rank, divided by 1 + log(document length) so long abstracts do not win by size alone.
 */
export function rankSql(vector: SQL, query: SQL, weights = DEFAULT_WEIGHTS): SQL {
  return sql`ts_rank_cd(${`{${weights.join(",")}}`}::float4[], ${vector}, ${query}, 1)`;
}

export type HeadlineOptions = {
  /** Whole text with every match marked (titles), or fragments around the matches (abstracts). */
  whole?: boolean;
  maxWords?: number;
  minWords?: number;
  fragments?: number;
};

/**
 * ts_headline with the matches between HIT_OPEN and HIT_CLOSE (see highlight.ts); run it only on the rows of
 * the page shown: it re-parses the text, which costs more than the search itself.
 */
export function headlineSql(cfg: TextConfigs, text: SQL, query: SQL, o: HeadlineOptions = {}): SQL {
  const opts = o.whole
    ? `StartSel=${HIT_OPEN}, StopSel=${HIT_CLOSE}, HighlightAll=true`
    : `StartSel=${HIT_OPEN}, StopSel=${HIT_CLOSE}, MaxWords=${o.maxWords ?? 28}, MinWords=${o.minWords ?? 12}, ` +
      `ShortWord=2, MaxFragments=${o.fragments ?? 2}, FragmentDelimiter=" … "`;
  return sql`ts_headline(${cfg.stem}::regconfig, ${text}, ${query}, ${opts})`;
}

/** A Postgres int[] as one bound text value: thousands of candidate ids cost one parameter, not thousands. */
export function intArraySql(ids: readonly number[]): SQL {
  for (const id of ids) {
    if (!Number.isSafeInteger(id)) throw new TypeError(`not an integer id: ${id}`);
  }
  return sql`${`{${ids.join(",")}}`}::int[]`;
}
