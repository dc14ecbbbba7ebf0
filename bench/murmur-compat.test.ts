// Checks our murmur3 buckets against unleash-client's own normalizedValue on random ids (Node side).
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { murmur3, normalizedValue } from "../shared/flags/index.ts";

const require = createRequire(import.meta.url);
const util = require("unleash-client/lib/strategy/util.js") as {
  normalizedStrategyValue(id: string, groupId: string): number;
  normalizedVariantValue(id: string, groupId: string, normalizer: number): number;
};
const murmurhash3js = require("murmurhash3js") as { x86: { hash32(key: string, seed?: number): number } };

function randomAscii(r: () => number, max: number): string {
  let s = "";
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += String.fromCharCode(32 + Math.floor(r() * 95));
  return s;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 0x100000000;
  };
}

describe("compatibility with unleash-client", () => {
  it("strategy and variant buckets agree on 1000 random ASCII ids and groups", () => {
    const r = rng(7);
    for (let i = 0; i < 1000; i++) {
      const id = i % 10 === 0 ? crypto.randomUUID() : randomAscii(r, 40);
      const group = randomAscii(r, 16);
      expect(normalizedValue(id, group)).toBe(util.normalizedStrategyValue(id, group));
      expect(normalizedValue(id, group, 1000, 86028157)).toBe(util.normalizedVariantValue(id, group, 1000));
    }
  });

  it("non-ASCII: we hash UTF-8 bytes (as Unleash's Go/Java/Rust SDKs); the Node SDK hashes UTF-16 low bytes", () => {
    const id = "jürgen-😀";
    const utf8AsLatin1 = Buffer.from(`g:${id}`, "utf8").toString("latin1");
    expect(murmur3(`g:${id}`)).toBe(murmurhash3js.x86.hash32(utf8AsLatin1, 0));
    // Documented divergence of unleash-client (Node) for non-ASCII ids.
    expect(murmur3(`g:${id}`)).not.toBe(murmurhash3js.x86.hash32(`g:${id}`, 0));
  });
});
