// The Zipf search load: every random spelling of a search has the search's one canonical query string.
import { describe, expect, it } from "vitest";
import { rng } from "../../scripts/db/examples/corpus.ts";
import { SITE_SEARCH } from "../../shared/search/examples/index.ts";
import { canonicalSearch } from "../../shared/search/index.ts";
import { searchUniverse, spell, zipfRequests } from "./search-load.ts";

const canonical = (path: string) =>
  canonicalSearch(new URL(path, "http://x").searchParams, SITE_SEARCH, { shared: true });

describe("search load", () => {
  const universe = searchUniverse(["edge", "caching", "postgres", "queues"], ["caching"], ["Berlin"], 20);

  it("makes distinct searches", () => {
    expect(new Set(universe.map((s) => JSON.stringify(s))).size).toBe(20);
  });

  it("spells a search many ways, all with one canonical query", () => {
    const random = rng(1);
    for (const s of universe) {
      const spellings = Array.from({ length: 20 }, () => spell(s, random));
      expect(new Set(spellings).size).toBeGreaterThan(1);
      expect(new Set(spellings.map(canonical)).size).toBe(1);
    }
  });

  it("draws popular searches often", () => {
    const paths = zipfRequests(universe, 1_000);
    const counts = new Map<string, number>();
    for (const p of paths) counts.set(canonical(p), (counts.get(canonical(p)) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeGreaterThan(100);
  });
});
