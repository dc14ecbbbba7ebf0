// Tests: Metadata in stored headers and the fresh/grace/keep clock.

import { describe, expect, it } from "vitest";
import { HEADER_PREFIX } from "../site/index.ts";
import {
  deliveryHeaders,
  type EntryMeta,
  freshness,
  readMeta,
  scrubForClient,
  storedHeaders,
} from "./meta.ts";

const meta: EntryMeta = {
  storedAt: 1_000_000,
  ttl: 60,
  grace: 10,
  keep: 100,
  ageAtStore: 3,
  tags: ["a", "b"],
};

describe("freshness", () => {
  it("walks fresh → grace → keep → dead on the ttl/grace/keep boundaries", () => {
    expect(freshness(meta, 1_000_000)).toBe("fresh");
    expect(freshness(meta, 1_059_999)).toBe("fresh");
    expect(freshness(meta, 1_060_000)).toBe("grace");
    expect(freshness(meta, 1_070_000)).toBe("keep");
    expect(freshness(meta, 1_169_999)).toBe("keep");
    expect(freshness(meta, 1_170_000)).toBe("dead");
  });
});

describe("storedHeaders / readMeta / deliveryHeaders", () => {
  const origin = new Headers({
    "content-type": "text/html",
    "cache-control": "public, max-age=60",
    vary: "Accept-Encoding",
    age: "3",
    "x-edge-purge": "x",
    [`${HEADER_PREFIX}ttl`]: "999999",
    connection: "keep-alive",
    "cache-tag": "ignored-here",
  });
  const stored = storedHeaders(origin, meta);

  it("asks the Cache API to keep the object for ttl + grace + keep and tags it", () => {
    expect(stored.get("cache-control")).toBe("public, max-age=170");
    expect(stored.get("cache-tag")).toBe("a,b");
    expect(stored.has("vary")).toBe(false);
    expect(stored.has("age")).toBe(false);
    expect(stored.has("x-edge-purge")).toBe(false);
    expect(stored.has("connection")).toBe(false);
  });

  it("round-trips the metadata, ignoring forged internal headers from origin", () => {
    expect(readMeta(stored)).toEqual(meta);
  });

  it("is null for foreign or damaged objects", () => {
    expect(readMeta(new Headers({ "content-type": "text/html" }))).toBeNull();
    const broken = new Headers(stored);
    broken.set(`${HEADER_PREFIX}ttl`, "soon");
    expect(readMeta(broken)).toBeNull();
  });

  it("delivers the origin's Cache-Control and Vary without internal fields", () => {
    const fromCacheApi = new Headers(stored);
    fromCacheApi.set("cf-cache-status", "HIT");
    fromCacheApi.set("age", "0");
    expect(new Map(deliveryHeaders(fromCacheApi))).toEqual(
      new Map([
        ["content-type", "text/html"],
        ["cache-control", "public, max-age=60"],
        ["vary", "Accept-Encoding"],
      ]),
    );
  });
});

describe("scrubForClient", () => {
  it("removes internal, tag and purge headers in place", () => {
    const h = new Headers({
      [`${HEADER_PREFIX}ttl`]: "1",
      "x-edge-purge": "t",
      "cache-tag": "t",
      "content-type": "x",
    });
    scrubForClient(h);
    expect([...h.keys()]).toEqual(["content-type"]);
  });
});
