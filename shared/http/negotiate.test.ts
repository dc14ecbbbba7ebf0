// Negotiation (HTML for browsers, JSON for the rest), escaping and retry wording used by every hand-built page.
import { describe, expect, it } from "vitest";
import { describeRetry, escapeHtml, prefersHtml } from "./negotiate.ts";

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

describe("prefersHtml", () => {
  it("follows q-values between HTML and JSON", () => {
    expect(prefersHtml(BROWSER)).toBe(true);
    expect(prefersHtml("application/json, text/html;q=0.5")).toBe(false);
    expect(prefersHtml("text/html;q=0")).toBe(false);
    expect(prefersHtml("application/problem+json")).toBe(false);
    expect(prefersHtml(null)).toBe(false);
  });
});

describe("text helpers", () => {
  it("escapes all HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
  it("describes retry times in words", () => {
    expect(describeRetry(30)).toBe("in a few seconds");
    expect(describeRetry(90)).toBe("in about 2 minutes");
    expect(describeRetry(3_600)).toBe("in about an hour");
    expect(describeRetry(7_200)).toBe("in about 2 hours");
  });
});
