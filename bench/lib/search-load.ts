// A Zipf-distributed search load: a universe of distinct searches, each request one of them (popular ones
// often, the long tail rarely) spelled the way people and links spell it: any case, extra spaces, facets in any
// order, tracking parameters, an explicit page=1.
import { rng, zipf } from "../../scripts/db/examples/corpus.ts";

export type Search = { words: string[]; topics: string[]; city: string | null };

/** `n` distinct searches over the vocabulary (words drawn by rank), a third with facets. */
export function searchUniverse(
  vocabulary: readonly string[],
  topics: readonly string[],
  cities: readonly string[],
  n: number,
  seed = 7,
): Search[] {
  const random = rng(seed);
  const word = zipf(Math.min(vocabulary.length, 5_000), 1, random, 10);
  const seen = new Set<string>();
  const out: Search[] = [];
  while (out.length < n) {
    const words = Array.from({ length: 1 + Math.floor(random() * 2) }, () => vocabulary[word()] ?? "edge");
    const faceted = random() < 0.33;
    const search: Search = {
      words,
      topics: faceted && random() < 0.7 ? [topics[Math.floor(random() * topics.length)] ?? "caching"] : [],
      city: faceted && random() < 0.5 ? (cities[Math.floor(random() * cities.length)] ?? null) : null,
    };
    const id = JSON.stringify(search);
    if (!seen.has(id)) {
      seen.add(id);
      out.push(search);
    }
  }
  return out;
}

/** One request's URL path for a search, spelled at random (the edge must key all spellings as one page). */
export function spell(s: Search, random: () => number): string {
  const text = s.words
    .map((w) => (random() < 0.3 ? w.toUpperCase() : random() < 0.3 ? w[0]?.toUpperCase() + w.slice(1) : w))
    .join(random() < 0.2 ? "  " : " ");
  const params: [string, string][] = [["q", random() < 0.1 ? ` ${text} ` : text]];
  for (const t of s.topics) params.push(["topic", t]);
  if (s.city) params.push(["city", s.city]);
  if (random() < 0.2) params.push(["utm_source", random() < 0.5 ? "newsletter" : "social"]);
  if (random() < 0.1) params.push(["page", "1"]);
  // Shuffled: links and forms put parameters in any order.
  for (let i = params.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = params[i];
    const b = params[j];
    if (a && b) [params[i], params[j]] = [b, a];
  }
  return `/search?${new URLSearchParams(params).toString()}`;
}

/** Request i of a Zipf(1) load over the universe. */
export function zipfRequests(universe: readonly Search[], count: number, seed = 11): string[] {
  const random = rng(seed);
  const pick = zipf(universe.length, 1, random);
  return Array.from({ length: count }, () =>
    spell(universe[pick()] ?? { words: ["edge"], topics: [], city: null }, random),
  );
}
