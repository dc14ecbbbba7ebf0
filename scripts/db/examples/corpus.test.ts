// The search corpus: the same seed gives the same corpus, with a common head and a rare tail of words.
import { describe, expect, it } from "vitest";
import { generateCorpus, rng, zipf } from "./corpus.ts";

const small = { events: 20, talks: 400, speakers: 150, users: 30 };

describe("generateCorpus", () => {
  it("is deterministic for a seed, and differs for another", () => {
    const a = generateCorpus(small, 1);
    expect(generateCorpus(small, 1)).toEqual(a);
    expect(generateCorpus(small, 2).talks[0]).not.toEqual(a.talks[0]);
  });

  it("makes the asked numbers of rows with unique slugs and speakers drawn from the asked number", () => {
    const c = generateCorpus(small, 1);
    expect(c.events).toHaveLength(20);
    expect(c.talks).toHaveLength(400);
    expect(new Set(c.events.map((e) => e.slug)).size).toBe(20);
    expect(new Set(c.talks.map((t) => t.slug)).size).toBe(400);
    expect(new Set(c.talks.map((t) => t.speaker)).size).toBeLessThanOrEqual(150);
    expect(c.talks.every((t) => t.event >= 0 && t.event < 20 && t.topics.length >= 1)).toBe(true);
    expect(c.users.every((u) => u.events.length >= 1)).toBe(true);
  });
});

describe("zipf", () => {
  it("draws the first ranks far more often than the last", () => {
    const draw = zipf(1_000, 1, rng(3), 30);
    const counts = new Array<number>(1_000).fill(0);
    for (let i = 0; i < 50_000; i++) {
      const k = draw();
      counts[k] = (counts[k] ?? 0) + 1;
    }
    const head = counts.slice(0, 10).reduce((a, b) => a + b, 0);
    const tail = counts.slice(-10).reduce((a, b) => a + b, 0);
    expect(head).toBeGreaterThan(tail * 10);
  });
});
