// Tests: Header grammar: Cache-Control directives and comma lists.
import { describe, expect, it } from "vitest";
import { parseCacheControl, parseList, seconds } from "./cache-control.ts";

describe("parseCacheControl", () => {
  it("reads names case-insensitively, with token and quoted arguments", () => {
    const d = parseCacheControl('Public, S-MaxAge=30, private="Set-Cookie, X-Foo", max-age="10"');
    expect(d.get("public")).toBe(true);
    expect(d.get("s-maxage")).toBe("30");
    expect(d.get("private")).toBe("Set-Cookie, X-Foo");
    expect(seconds(d, "max-age")).toBe(10);
  });

  it("keeps the first of duplicate directives and treats malformed seconds as 0", () => {
    const d = parseCacheControl("max-age=60, max-age=5, s-maxage=abc, stale-if-error");
    expect(seconds(d, "max-age")).toBe(60);
    expect(seconds(d, "s-maxage")).toBe(0);
    expect(seconds(d, "stale-if-error")).toBe(0);
    expect(seconds(d, "stale-while-revalidate")).toBeUndefined();
  });

  it("is empty for a missing header", () => {
    expect(parseCacheControl(null).size).toBe(0);
    expect(parseCacheControl(" , ").size).toBe(0);
  });
});

describe("parseList", () => {
  it("trims, drops empties and duplicates", () => {
    expect(parseList(" talk:1, ,event:2,talk:1 ")).toEqual(["talk:1", "event:2"]);
    expect(parseList("Accept-Encoding, ACCEPT-language", true)).toEqual([
      "accept-encoding",
      "accept-language",
    ]);
    expect(parseList(null)).toEqual([]);
  });
});
