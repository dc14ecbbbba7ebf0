// "Did you mean": only unknown words with a different close match are corrected; the vocabulary is bounded.
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { corrections, didYouMeanStatement, refreshSearchWords } from "./words.ts";

describe("corrections", () => {
  it("keeps known words and words without a close match", () => {
    const fixes = corrections([
      { input: "postgress", known: false, best: "postgres" },
      { input: "edge", known: true, best: "edges" },
      { input: "qqq", known: false, best: null },
    ]);
    expect(fixes).toEqual(new Map([["postgress", "postgres"]]));
  });
});

describe("statements", () => {
  it("binds the words as one JSON parameter, and bounds the vocabulary's word length", () => {
    const q = new PgDialect().sqlToQuery(didYouMeanStatement(["a'b", "c"]));
    expect(q.params).toEqual(['["a\'b","c"]']);
    expect(new PgDialect().sqlToQuery(refreshSearchWords()).sql).toContain("length(word) between 3 and 40");
  });
});
