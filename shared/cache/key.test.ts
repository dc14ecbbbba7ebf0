// Tests: Cache-key normalisation.
import { describe, expect, it } from "vitest";
import { baseUrl, cacheKey, isTrackingParam, urlTag } from "./key.ts";

const h = (init: Record<string, string> = {}) => new Headers(init);

describe("baseUrl", () => {
  it("lowercases the host, sorts the query, drops the fragment and tracking params", () => {
    const u = new URL("https://Example.COM/Talks/1?z=2&utm_source=x&a=1&gclid=g&FBCLID=f&mc_cid=m#top");
    expect(baseUrl(u)).toBe("https://example.com/Talks/1?a=1&z=2");
  });

  it("keeps duplicate names in their original order", () => {
    expect(baseUrl(new URL("https://x.test/?b=1&a=2&a=1"))).toBe("https://x.test/?a=2&a=1&b=1");
  });

  it("has no '?' when only tracking params were present", () => {
    expect(baseUrl(new URL("https://x.test/p?utm_medium=e&utm_campaign=c"))).toBe("https://x.test/p");
  });

  it("drops forged key-part params", () => {
    expect(baseUrl(new URL("https://x.test/p?__ep.k.flag=on&q=1"))).toBe("https://x.test/p?q=1");
  });
});

describe("cacheKey", () => {
  it("is the same for requests differing only in tracking noise and param order", () => {
    const a = cacheKey(new URL("https://x.test/e?b=2&a=1&utm_source=nl"), [], h());
    const b = cacheKey(new URL("https://X.test/e?a=1&msclkid=9&b=2"), [], h());
    expect(a).toEqual(b);
    expect(a.key).toBe(a.base);
  });

  it("appends key parts sorted by name, whatever their insertion order", () => {
    const url = new URL("https://x.test/talks/1");
    const a = cacheKey(url, [], h(), { "flag:new-talk-page": "on", "ab:hero": "b" });
    const b = cacheKey(url, [], h(), { "ab:hero": "b", "flag:new-talk-page": "on" });
    expect(a.key).toBe(b.key);
    expect(a.key).toBe("https://x.test/talks/1?__ep.k.ab%3Ahero=b&__ep.k.flag%3Anew-talk-page=on");
    expect(a.base).toBe("https://x.test/talks/1");
    expect(cacheKey(url, [], h(), { "flag:new-talk-page": "off" }).key).not.toBe(a.key);
  });

  it("includes varyOn header values, so each language is its own object", () => {
    const url = new URL("https://x.test/?q=1");
    const en = cacheKey(url, ["accept-language"], h({ "accept-language": "en" }));
    const fr = cacheKey(url, ["accept-language"], h({ "accept-language": " fr  " }));
    expect(en.key).toBe("https://x.test/?q=1&__ep.h.accept-language=en");
    expect(fr.key).toBe("https://x.test/?q=1&__ep.h.accept-language=fr");
    expect(cacheKey(url, ["accept-language"], h()).key).toBe("https://x.test/?q=1&__ep.h.accept-language=");
  });

  it("ignores headers that are not in varyOn", () => {
    const url = new URL("https://x.test/");
    expect(cacheKey(url, [], h({ "x-forwarded-host": "evil.test" })).key).toBe("https://x.test/");
  });
});

describe("isTrackingParam", () => {
  it("covers utm_* and click ids", () => {
    for (const p of ["utm_source", "UTM_Term", "gclid", "fbclid", "msclkid", "mc_cid", "_ga"]) {
      expect(isTrackingParam(p)).toBe(true);
    }
    expect(isTrackingParam("page")).toBe(false);
  });
});

describe("urlTag", () => {
  it("is deterministic and distinguishes pages", () => {
    expect(urlTag("https://x.test/a")).toBe(urlTag("https://x.test/a"));
    expect(urlTag("https://x.test/a")).not.toBe(urlTag("https://x.test/b"));
    expect(urlTag("https://x.test/a")).toMatch(/^ep-url:[0-9a-f]{16}$/);
  });
});
