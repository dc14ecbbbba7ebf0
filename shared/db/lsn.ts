// Postgres WAL positions ("16/B374D848"): parse to bigint so they compare and subtract exactly.

const LSN_PATTERN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** `16/B374D848` → 0x16B374D848n; null when it is not an LSN (so callers treat it as "unknown"). */
export function parseLsn(text: string | null | undefined): bigint | null {
  if (typeof text !== "string") return null;
  const match = LSN_PATTERN.exec(text.trim());
  if (!match?.[1] || !match[2]) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** Formats like Postgres does: upper-case hex, no padding. */
export function formatLsn(value: bigint): string {
  if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`LSN out of range: ${value}`);
  const high = (value >> 32n).toString(16).toUpperCase();
  const low = (value & 0xffffffffn).toString(16).toUpperCase();
  return `${high}/${low}`;
}

/** -1, 0 or 1; throws on malformed input because comparing garbage silently would route reads wrongly. */
export function compareLsn(a: string, b: string): -1 | 0 | 1 {
  const x = mustParse(a);
  const y = mustParse(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when `replay` has reached `target` (both valid); false when either is unknown. */
export function lsnReached(replay: string | null | undefined, target: string): boolean {
  const r = parseLsn(replay);
  const t = parseLsn(target);
  return r !== null && t !== null && r >= t;
}

/** Bytes from `from` to `to`, never negative (a replica read just after the primary can be ahead). */
export function lsnDiffBytes(to: string, from: string): number {
  const diff = mustParse(to) - mustParse(from);
  return diff > 0n ? Number(diff) : 0;
}

/** The later of two LSNs (merging tokens from several writes). */
export function maxLsn(a: string, b: string): string {
  return compareLsn(a, b) >= 0 ? a : b;
}

function mustParse(text: string): bigint {
  const value = parseLsn(text);
  if (value === null) throw new TypeError(`not a Postgres LSN: ${JSON.stringify(text)}`);
  return value;
}
