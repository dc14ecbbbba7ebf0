// MurmurHash3 against Unleash's published vectors, canonical vectors and a byte-level reference.
import { describe, expect, it } from "vitest";
import { murmur3, murmurContinue, murmurPrefix, normalizedValue } from "./murmur3.ts";

// Straightforward reference over TextEncoder bytes, to check the streaming UTF-8 encoder.
function reference(s: string, seed: number): number {
  const b = new TextEncoder().encode(s);
  const mul = Math.imul;
  const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  let h = seed | 0;
  const blocks = b.length >> 2;
  for (let i = 0; i < blocks; i++) {
    const o = i * 4;
    let k = (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24);
    k = mul(rotl(mul(k, 0xcc9e2d51), 15), 0x1b873593);
    h = (mul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const o = blocks * 4;
  const rest = b.length & 3;
  if (rest === 3) k ^= (b[o + 2] ?? 0) << 16;
  if (rest >= 2) k ^= (b[o + 1] ?? 0) << 8;
  if (rest >= 1) {
    k ^= b[o] ?? 0;
    h ^= mul(rotl(mul(k, 0xcc9e2d51), 15), 0x1b873593);
  }
  h ^= b.length;
  h = mul(h ^ (h >>> 16), 0x85ebca6b);
  h = mul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

describe("murmur3_x86_32", () => {
  it("matches Unleash's published bucket vectors", () => {
    expect(normalizedValue("123", "gr1")).toBe(73);
    expect(normalizedValue("999", "groupX")).toBe(25);
  });

  it("matches the canonical MurmurHash3 test vectors", () => {
    expect(murmur3("")).toBe(0);
    expect(murmur3("", 1)).toBe(0x514e28b7);
    expect(murmur3("hello")).toBe(613153351);
    expect(murmur3("The quick brown fox jumps over the lazy dog")).toBe(0x2e4ff723);
  });

  it("hashes UTF-8 bytes, including astral characters and lone surrogates", () => {
    for (const s of ["é", "日本語テキスト", "😀x", "a\ud800b", "\udc00", "ñandú-ñ", "mixé😀日"]) {
      expect(murmur3(s)).toBe(reference(s, 0));
      expect(murmur3(s, 86028157)).toBe(reference(s, 86028157));
    }
  });

  it("resumes from a prefix exactly as hashing the whole string", () => {
    for (let i = 0; i < 200; i++) {
      const prefix = `group-${"x".repeat(i % 7)}:`;
      const id = `user-${i}-${"é".repeat(i % 3)}`;
      expect(murmurContinue(murmurPrefix(prefix, 86028157), id)).toBe(murmur3(prefix + id, 86028157));
      expect(murmurContinue(murmurPrefix(prefix), id)).toBe(reference(prefix + id, 0));
    }
  });
});
