import { describe, expect, it } from "vitest";
import { CACHE_NAME } from "../site/index.ts";
import type { CachedObject } from "./hot-cache.ts";
import { decorate, fromCached, fromObject } from "./respond.ts";

const body: ArrayBuffer = new ArrayBuffer(9);
new Uint8Array(body).set(new TextEncoder().encode("<p>hi</p>"));

function object(headers: [string, string][] = [["content-type", "text/html"]]): CachedObject {
  return {
    status: 200,
    statusText: "OK",
    headers,
    body,
    meta: { storedAt: 1_000_000, ttl: 60, grace: 10, keep: 100, ageAtStore: 2, tags: [] },
  };
}

describe("fromObject / fromCached", () => {
  it("builds Age, Cache-Status and the extra headers into the response", async () => {
    const res = fromCached(object(), false, 1_005_500, { hit: true, ttl: 55 }, { "x-flags-version": "v1" });
    expect(res.headers.get("age")).toBe("7");
    expect(res.headers.get("cache-status")).toBe(`${CACHE_NAME}; hit; ttl=55`);
    expect(res.headers.get("x-flags-version")).toBe("v1");
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(await res.text()).toBe("<p>hi</p>");
  });

  it("gives each response its own headers even though the header block is shared", () => {
    const obj = object();
    const a = fromObject(obj, false, { hit: true }, 1, { "set-cookie": "ep_aid=a; Path=/" });
    a.headers.set("x-mutated", "1");
    const b = fromObject(obj, false, { hit: true }, 1);
    expect(b.headers.has("x-mutated")).toBe(false);
    // The per-visitor cookie never outlives its response.
    expect(b.headers.get("set-cookie")).toBeNull();
    expect(a.headers.getSetCookie()).toEqual(["ep_aid=a; Path=/"]);
  });

  it("rebuilds the block when Age, Cache-Status or an extra header changes", () => {
    const obj = object();
    expect(fromObject(obj, false, { hit: true, ttl: 5 }, 1).headers.get("age")).toBe("1");
    expect(fromObject(obj, false, { hit: true, ttl: 5 }, 2).headers.get("age")).toBe("2");
    expect(fromObject(obj, false, { hit: true, ttl: 4 }, 2).headers.get("cache-status")).toContain("ttl=4");
    const v = (version: string) =>
      fromObject(obj, false, { hit: true }, 2, { "x-flags-version": version }).headers.get("x-flags-version");
    expect(v("a")).toBe("a");
    expect(v("b")).toBe("b");
    expect(fromObject(obj, false, { hit: true }, 2).headers.has("x-flags-version")).toBe(false);
  });

  it("keeps a header named __proto__ and a cookie sent alongside one already there", () => {
    const obj = object([
      ["__proto__", "kept"],
      ["set-cookie", "origin=1"],
    ]);
    const res = fromObject(obj, true, { hit: true }, undefined, { "set-cookie": "ep_aid=b" });
    expect(res.headers.get("__proto__")).toBe("kept");
    expect(res.headers.getSetCookie()).toEqual(["origin=1", "ep_aid=b"]);
    expect(res.body).toBeNull();
  });
});

describe("decorate", () => {
  it("sets extra headers, appending set-cookie to the origin's", () => {
    const res = new Response("x", { headers: { "set-cookie": "sid=1", "x-flags-version": "old" } });
    const out = decorate(res, { "x-flags-version": "new", "set-cookie": "ep_aid=c" });
    expect(out.headers.get("x-flags-version")).toBe("new");
    expect(out.headers.getSetCookie()).toEqual(["sid=1", "ep_aid=c"]);
  });

  it("copies a response whose headers are immutable", async () => {
    const res = Response.redirect("https://example.com/", 302);
    const out = decorate(res, { "x-flags-version": "v" });
    expect(out).not.toBe(res);
    expect(out.status).toBe(302);
    expect(out.headers.get("x-flags-version")).toBe("v");
    expect(out.headers.get("location")).toBe("https://example.com/");
  });

  it("returns the response untouched without extras", () => {
    const res = new Response("x");
    expect(decorate(res, undefined)).toBe(res);
  });
});
