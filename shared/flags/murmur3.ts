// MurmurHash3 x86_32 over UTF-8 bytes, resumable from a precomputed prefix so buckets hash without allocating.

/** Hash state after absorbing a prefix: running hash, pending tail bytes, their count, total byte length. */
export interface MurmurPrefix {
  readonly h: number;
  readonly k: number;
  readonly n: number;
  readonly len: number;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

// Output of absorb(): module scratch instead of an object, so the hot path allocates nothing.
let outH = 0;
let outK = 0;
let outN = 0;
let outLen = 0;

function mixBlock(h: number, k: number): number {
  let k1 = Math.imul(k, C1);
  k1 = (k1 << 15) | (k1 >>> 17);
  k1 = Math.imul(k1, C2);
  let h1 = h ^ k1;
  h1 = (h1 << 13) | (h1 >>> 19);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

// Feeds the UTF-8 encoding of `s` (lone surrogates become U+FFFD, as TextEncoder does) into the state.
function absorb(h0: number, k0: number, n0: number, len0: number, s: string): void {
  let h = h0;
  let k = k0;
  let n = n0;
  let len = len0;
  const end = s.length;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    let bytes: number;
    let count: number;
    if (c < 0x80) {
      k |= c << (n << 3);
      len++;
      if (++n === 4) {
        h = mixBlock(h, k);
        k = 0;
        n = 0;
      }
      continue;
    }
    if (c < 0x800) {
      bytes = 0xc0 | (c >> 6) | ((0x80 | (c & 63)) << 8);
      count = 2;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      bytes =
        0xf0 |
        (cp >> 18) |
        ((0x80 | ((cp >> 12) & 63)) << 8) |
        ((0x80 | ((cp >> 6) & 63)) << 16) |
        ((0x80 | (cp & 63)) << 24);
      count = 4;
    } else {
      const cp = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
      bytes = 0xe0 | (cp >> 12) | ((0x80 | ((cp >> 6) & 63)) << 8) | ((0x80 | (cp & 63)) << 16);
      count = 3;
    }
    for (; count > 0; count--) {
      k |= (bytes & 0xff) << (n << 3);
      bytes >>>= 8;
      len++;
      if (++n === 4) {
        h = mixBlock(h, k);
        k = 0;
        n = 0;
      }
    }
  }
  outH = h;
  outK = k;
  outN = n;
  outLen = len;
}

function finish(h0: number, k0: number, n: number, len: number): number {
  let h = h0;
  if (n > 0) {
    let k1 = Math.imul(k0, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    h ^= Math.imul(k1, C2);
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** State after hashing `prefix` with `seed`; pair with `murmurContinue`. */
export function murmurPrefix(prefix: string, seed = 0): MurmurPrefix {
  absorb(seed | 0, 0, 0, 0, prefix);
  return { h: outH, k: outK, n: outN, len: outLen };
}

/** murmur3_x86_32(prefix + rest) as an unsigned 32-bit integer. */
export function murmurContinue(p: MurmurPrefix, rest: string): number {
  absorb(p.h, p.k, p.n, p.len, rest);
  return finish(outH, outK, outN, outLen);
}

/** murmur3_x86_32 of the UTF-8 bytes of `s`, unsigned. */
export function murmur3(s: string, seed = 0): number {
  absorb(seed | 0, 0, 0, 0, s);
  return finish(outH, outK, outN, outLen);
}

/** Unleash's normalizedValue: `murmur3("<groupId>:<id>", seed) % normalizer + 1`. */
export function normalizedValue(id: string, groupId: string, normalizer = 100, seed = 0): number {
  return (murmur3(`${groupId}:${id}`, seed) % normalizer) + 1;
}
