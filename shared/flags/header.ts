// The flags as text, `v=<version>;t=<secs>;<key>=<value>.<reason>[.<payload>];…`: the edge sends it to the origin
// inside its signed context (shared/trust), never as a header of its own.

import { HEADER_PREFIX } from "../site/index.ts";
import type { EvaluatedFlags, FlagResult, Payload, Reason } from "./types.ts";
import { isValidFlagKey, VARIANT } from "./validate-util.ts";

export const FLAGS_HEADER = `${HEADER_PREFIX}flags`;

const LETTER: Record<Reason, string> = {
  STATIC: "S",
  TARGETING_MATCH: "T",
  SPLIT: "P",
  DEFAULT: "D",
  DISABLED: "X",
  ERROR: "E",
};
const REASON: Record<string, Reason> = {
  S: "STATIC",
  T: "TARGETING_MATCH",
  P: "SPLIT",
  D: "DEFAULT",
  X: "DISABLED",
  E: "ERROR",
};
const SAFE_VERSION = /^[A-Za-z0-9_-]{1,64}$/;
const TYPE_LETTER: Record<Payload["type"], string> = { string: "s", json: "j", csv: "c", number: "n" };
const LETTER_TYPE: Record<string, Payload["type"]> = { s: "string", j: "json", c: "csv", n: "number" };

// Non-ASCII is percent-encoded so the payload can also travel as a plain header. Keys cannot hold `; = , %`
// (validation); variant names and payloads also escape those and `.`, so that `.` only ever separates fields.
const ascii = (s: string): string => s.replace(/[^\x20-\x7e]+/g, encodeURIComponent);
const esc = (s: string): string => ascii(s.replace(/[%;=.,]/g, (c) => `%${c.charCodeAt(0).toString(16)}`));

// Results are shared frozen objects, so each one's fragment is built once and reused by every request.
const fragments = new WeakMap<FlagResult, string>();

function fragment(r: FlagResult): string {
  let f = fragments.get(r);
  if (f === undefined) {
    const plain = (r.variant === "on" && r.value) || (r.variant === "off" && !r.value);
    const ok = isValidFlagKey(r.key) && (plain || (r.value && VARIANT.test(r.variant)));
    const v = plain ? (r.value ? "1" : "0") : esc(r.variant);
    const p = r.payload ? `.${TYPE_LETTER[r.payload.type]}${esc(r.payload.value)}` : "";
    f = ok ? `;${ascii(r.key)}=${v}.${LETTER[r.reason]}${p}` : "";
    if (Object.isFrozen(r)) fragments.set(r, f);
  }
  return f;
}

/** The unsigned payload; keys or variants that cannot be carried safely are left out. */
export function encodeFlags(flags: EvaluatedFlags, issuedAtSeconds: number): string {
  const version = SAFE_VERSION.test(flags.version) ? flags.version : "invalid";
  let out = `v=${version};t=${Math.floor(issuedAtSeconds)}`;
  for (const r of flags.results) out += fragment(r);
  return out;
}

/** Parses an unsigned payload strictly: anything unexpected gives null. */
export function decodeFlags(payload: string): { flags: EvaluatedFlags; issuedAt: number } | null {
  const parts = payload.split(";");
  const v = parts[0];
  const t = parts[1];
  if (!v?.startsWith("v=") || !t?.startsWith("t=")) return null;
  const version = v.slice(2);
  const issuedAt = Number(t.slice(2));
  if (!SAFE_VERSION.test(version) || !/^\d{1,12}$/.test(t.slice(2))) return null;
  const results: FlagResult[] = [];
  const index = new Map<string, number>();
  try {
    for (let i = 2; i < parts.length; i++) {
      const part = parts[i] ?? "";
      const eq = part.indexOf("=");
      const key = decodeURIComponent(part.slice(0, eq));
      const [raw = "", letter = "", payload, ...rest] = part.slice(eq + 1).split(".");
      const reason = REASON[letter];
      if (eq < 1 || !reason || rest.length > 0 || !isValidFlagKey(key) || index.has(key)) return null;
      const variant = raw === "1" ? "on" : raw === "0" ? "off" : decodeURIComponent(raw);
      if (raw !== "1" && raw !== "0" && !VARIANT.test(variant)) return null;
      const type = payload === undefined ? undefined : LETTER_TYPE[payload.slice(0, 1)];
      if (payload !== undefined && !type) return null;
      const r: FlagResult =
        payload !== undefined && type
          ? {
              key,
              value: raw !== "0",
              variant,
              reason,
              payload: { type, value: decodeURIComponent(payload.slice(1)) },
            }
          : { key, value: raw !== "0", variant, reason };
      index.set(key, results.length);
      results.push(Object.freeze(r));
    }
  } catch {
    // A malformed escape.
    return null;
  }
  return { flags: { version, results, index, subject: null }, issuedAt };
}
