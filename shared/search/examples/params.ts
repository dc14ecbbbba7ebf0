// The example site's search URL: what /search and /search/suggest accept. Light on purpose: the edge imports it
// for its cache key (no database code comes with it).
import type { SearchSpec } from "../params.ts";

/** Topic slugs; dates as YYYY-MM-DD that exist; cities as stored ("São Paulo"), matched exactly. */
const SLUG = /^[a-z0-9][a-z0-9-]{0,59}$/;
const DATE = /^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CITY = /^[\p{L}\p{N}][\p{L}\p{N} .'-]{0,59}$/u;

function realDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/** Deep pages cost as much as every page before them; nobody reads page 11 of a search. */
export const MAX_PAGE = 10;
export const PAGE_SIZE = 20;

export const SITE_SEARCH: SearchSpec = {
  q: { kind: "text" },
  topic: { kind: "set", pattern: SLUG, max: 3 },
  city: { kind: "single", pattern: CITY, fold: false },
  from: { kind: "single", pattern: DATE, check: realDate },
  to: { kind: "single", pattern: DATE, check: realDate },
  page: { kind: "single", pattern: /^([1-9]|10)$/, fallback: "1" },
  // "Events I registered for": about the visitor, so it never reaches a shared (cached) page.
  mine: { kind: "flag", personal: true },
};

/** The search-as-you-type box: only the text. */
export const SITE_SUGGEST: SearchSpec = { q: { kind: "text" } };
