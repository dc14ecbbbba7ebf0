// Search text: one canonical form (stable under re-parsing), bounded, and tsquery text with no loose operators.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseSearch,
  positiveWords,
  quoteOperand,
  renderSearch,
  replaceWords,
  SEARCH_LIMITS,
  toTsQuery,
} from "./query.ts";

const canonical = (raw: string) => renderSearch(parseSearch(raw));
// Every operand quoted (with \' and \\ escapes inside), joined only by & and |, optionally negated.
const OPERAND = String.raw`!?'(?:[^'\\]|\\.)*'`;
const MAIN = new RegExp(`^${OPERAND}(?: [&|] ${OPERAND})*$`, "u");
const WEIGHTED = new RegExp(`^${OPERAND}:AB(?: [&|] ${OPERAND}:AB)*$`, "u");

describe("parseSearch / renderSearch", () => {
  it("folds case, width and spacing, and drops punctuation-only pieces", () => {
    expect(canonical("  Postgres   REPLICATION !!! ")).toBe("postgres replication");
    expect(canonical("Ｐｏｓｔｇｒｅｓ")).toBe("postgres");
    expect(canonical("... ?")).toBe("");
  });

  it("keeps phrases, exclusions and OR between terms", () => {
    expect(canonical('grace "Stale  While" -varnish OR cdn')).toBe('grace "stale while" -varnish or cdn');
    expect(parseSearch('"read only" -"write ahead"')).toEqual([
      { kind: "phrase", text: "read only", negated: false },
      { kind: "phrase", text: "write ahead", negated: true },
    ]);
  });

  it("treats a quoted single word as the word, and a quoted or as a word", () => {
    expect(canonical('"postgres"')).toBe("postgres");
    expect(canonical('this "or" that')).toBe('this "or" that');
    expect(parseSearch('this "or" that')[1]).toEqual({ kind: "word", text: "or", negated: false });
  });

  it("drops a leading, trailing or repeated OR, and exclusions with nothing to exclude from", () => {
    expect(canonical("or a or or b or")).toBe("a or b");
    expect(parseSearch("-mysql -oracle")).toEqual([]);
  });

  it("reads an unterminated quote as a phrase to the end", () => {
    expect(canonical('cache "stale while')).toBe('cache "stale while"');
  });

  it("bounds the input, the number of terms and each term", () => {
    expect(parseSearch(Array.from({ length: 20 }, (_, i) => `w${i}`).join(" "))).toHaveLength(
      SEARCH_LIMITS.maxTerms,
    );
    const long = parseSearch("x".repeat(500))[0];
    expect(long?.kind === "word" && Array.from(long.text).length).toBe(SEARCH_LIMITS.maxTermLength);
  });

  it("replaces control characters and lone surrogates", () => {
    expect(canonical("a\u0000b \ud800c")).toBe("a b c");
  });

  it("is its own canonical form: parsing the rendered text gives the same terms", () => {
    const alphabet = fc.constantFrom(
      ..."aAbé ö-\"'\\:*&|!()<>or\u0000\ud800ＡⅫ İß".split(""),
      " or ",
      "-",
      '"',
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: alphabet, maxLength: 260 }), fc.string({ maxLength: 260 })),
        (raw) => {
          const once = parseSearch(raw);
          expect(parseSearch(renderSearch(once))).toEqual(once);
        },
      ),
      { numRuns: 2000, seed: 15 },
    );
  });
});

describe("toTsQuery", () => {
  it("quotes every operand, so no input character acts as an operator", () => {
    expect(quoteOperand("o'reilly \\ x")).toBe(String.raw`'o\'reilly \\ x'`);
    expect(toTsQuery(parseSearch("a:* & b | !c"), { prefix: false }).main).toBe("'a:*' & 'b' & '!c'");
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.boolean(), (raw, prefix) => {
        const q = toTsQuery(parseSearch(raw), { prefix });
        if (q.main !== null) expect(q.main).toMatch(MAIN);
        if (q.prefix !== null) expect(q.prefix).toMatch(new RegExp(`^${OPERAND}:\\*$`, "u"));
        const w = toTsQuery(parseSearch(raw), { prefix: false, weights: "AB" });
        if (w.main !== null) expect(w.main).toMatch(WEIGHTED);
      }),
      { numRuns: 1000, seed: 16 },
    );
  });

  it("joins terms with AND, OR where written, and negates exclusions", () => {
    expect(toTsQuery(parseSearch('grace "stale while" -varnish or cdn'), { prefix: false }).main).toBe(
      "'grace' & 'stale while' & !'varnish' | 'cdn'",
    );
  });

  it("matches the unfinished last plain word as a prefix", () => {
    expect(toTsQuery(parseSearch("edge cachi"), { prefix: true })).toEqual({
      main: "'edge'",
      prefix: "'cachi':*",
    });
    expect(toTsQuery(parseSearch("cachi"), { prefix: true })).toEqual({ main: null, prefix: "'cachi':*" });
  });

  it("never makes a prefix of a phrase, an exclusion, a word after OR, or one letter", () => {
    for (const raw of ['edge "stale while"', "edge -varnish", "edge or cdn", "edge c"]) {
      expect(toTsQuery(parseSearch(raw), { prefix: true }).prefix, raw).toBeNull();
    }
  });

  it("restricts every operand to the given weights", () => {
    expect(toTsQuery(parseSearch("grace cachi"), { prefix: true, weights: "A" })).toEqual({
      main: "'grace':A",
      prefix: "'cachi':*A",
    });
  });

  it("keeps exclusions beside a prefix: they narrow it", () => {
    expect(toTsQuery(parseSearch("-mysql postg"), { prefix: true })).toEqual({
      main: "!'mysql'",
      prefix: "'postg':*",
    });
  });
});

describe("positiveWords", () => {
  it("lists the words that must match, once, without exclusions", () => {
    expect(positiveWords(parseSearch('lock_timeout "read only" -mysql read'))).toEqual([
      "lock",
      "timeout",
      "read",
      "only",
    ]);
  });
});

describe("replaceWords", () => {
  it("corrects words inside words and phrases, not exclusions", () => {
    const fixed = replaceWords(
      parseSearch('postgress "lock timeot" -postgress'),
      new Map([
        ["postgress", "postgres"],
        ["timeot", "timeout"],
      ]),
    );
    expect(renderSearch(fixed)).toBe('postgres "lock timeout" -postgress');
  });
});
