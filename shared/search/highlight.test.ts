// ts_headline output becomes plain segments: markers never leak into the page, text is never interpreted.
import { describe, expect, it } from "vitest";
import { HIT_CLOSE, HIT_OPEN, highlightSegments } from "./highlight.ts";

const mark = (s: string) => s.replaceAll("[", HIT_OPEN).replaceAll("]", HIT_CLOSE);

describe("highlightSegments", () => {
  it("splits marked text into hits and the text between them", () => {
    expect(highlightSegments(mark("Serving [stale] on [purpose]."))).toEqual([
      { text: "Serving ", hit: false },
      { text: "stale", hit: true },
      { text: " on ", hit: false },
      { text: "purpose", hit: true },
      { text: ".", hit: false },
    ]);
  });

  it("drops stray and unbalanced markers, merging what is left", () => {
    expect(highlightSegments(mark("a]b[c"))).toEqual([
      { text: "ab", hit: false },
      { text: "c", hit: true },
    ]);
    expect(highlightSegments(mark("[][]"))).toEqual([]);
  });

  it("keeps markup as text (the view escapes it)", () => {
    expect(highlightSegments(mark("[<b>]"))).toEqual([{ text: "<b>", hit: true }]);
  });
});
