// The canonical search query string: one per distinct search, stable, never carrying personal facets when shared.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalSearch, readSearch, type SearchSpec } from "./params.ts";

const SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;
const spec: SearchSpec = {
  q: { kind: "text" },
  topic: { kind: "set", pattern: SLUG, max: 3 },
  city: { kind: "single", pattern: /^\p{Lu}[\p{L} ]{0,39}$/u, fold: false },
  day: { kind: "single", pattern: /^\d\d$/, check: (v) => Number(v) <= 31 },
  page: { kind: "single", pattern: /^[1-9][0-9]?$/, fallback: "1" },
  mine: { kind: "flag", personal: true },
};
const shared = (qs: string) => canonicalSearch(new URLSearchParams(qs), spec, { shared: true });

describe("canonicalSearch", () => {
  it("folds case and spacing, sorts facet values and parameter names", () => {
    expect(shared("topic=Caching&q=%20Grace%20%20MODE&city=%20Berlin&topic=edge")).toBe(
      "city=Berlin&q=grace+mode&topic=caching&topic=edge",
    );
    expect(shared("topic=edge,caching")).toBe(shared("topic=caching&topic=edge"));
  });

  it("drops unknown parameters, junk values, defaults and duplicates", () => {
    expect(shared("q=x&utm_source=news&qc=123&page=1&topic=a&topic=a&topic=%3Cscript%3E&city=")).toBe(
      "q=x&topic=a",
    );
    expect(shared("page=0&page=2")).toBe("page=2");
    expect(shared("day=32&city=berlin")).toBe("");
    expect(shared("day=31&city=São Paulo")).toBe("city=S%C3%A3o+Paulo&day=31");
  });

  it("bounds repeatable facets", () => {
    expect(shared("topic=d&topic=c&topic=b&topic=a")).toBe("topic=a&topic=b&topic=c");
  });

  it("keeps a personal flag only for a page that is not shared", () => {
    expect(shared("q=x&mine=1")).toBe("q=x");
    expect(canonicalSearch(new URLSearchParams("q=x&mine=on"), spec, { shared: false })).toBe("mine=1&q=x");
  });

  it("reads typed values", () => {
    expect(readSearch(new URLSearchParams("q=A&topic=b,a&page=3&mine=yes"), spec, { shared: false })).toEqual(
      {
        text: { q: "a" },
        sets: { topic: ["a", "b"] },
        singles: { page: "3" },
        flags: new Set(["mine"]),
      },
    );
  });

  it("is stable: the canonical string is its own canonical form", () => {
    const name = fc.constantFrom("q", "topic", "city", "page", "mine", "x", "Q");
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("a", "B", "a,b", "1", "on", " x "));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 8 }), fc.boolean(), (pairs, isShared) => {
        const once = canonicalSearch(new URLSearchParams(pairs), spec, { shared: isShared });
        expect(canonicalSearch(new URLSearchParams(once), spec, { shared: isShared })).toBe(once);
      }),
      { numRuns: 1000, seed: 20 },
    );
  });
});
