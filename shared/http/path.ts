// The one path normalisation both Workers agree on: decode once, refuse ambiguous forms, re-encode canonically.
//
// The edge routes (and refuses reserved prefixes) on the canonical path and forwards only that, and the origin
// refuses any path that is not already canonical, so no encoding can mean one thing to the edge and another to
// the origin's router (which decodes percent-escapes before matching).

export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

const MAX_PATH = 2048;
const HEX = /^[0-9A-Fa-f]{2}$/;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const encoder = new TextEncoder();
// Already canonical: no escapes, no empty segments, only characters kept as they are. Nearly every request.
const PLAIN = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@]+)*\/?$/;
// Characters a path segment keeps as they are; everything else is percent-encoded (upper-case hex).
const KEEP = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;

/** `pathname` as the URL parser gives it (dot segments, literal or `%2e`, are already resolved). */
export function canonicalPath(pathname: string): PathCheck {
  if (!pathname.startsWith("/")) return bad("the path must start with /");
  if (pathname.length > MAX_PATH) return bad(`the path is longer than ${MAX_PATH} characters`);
  if (PLAIN.test(pathname)) return { ok: true, path: pathname };
  const segments: string[] = [];
  for (const raw of pathname.slice(1).split("/")) {
    const decoded = decodeSegment(raw);
    if (typeof decoded !== "string") return decoded;
    segments.push(decoded);
  }
  // Empty segments (`//`) are collapsed, except a trailing slash, which is part of the address.
  const trailing = segments.length > 1 && segments[segments.length - 1] === "";
  const kept = segments.filter((s) => s !== "");
  const path = `/${kept.map(encodeSegment).join("/")}${trailing && kept.length > 0 ? "/" : ""}`;
  return { ok: true, path };
}

function decodeSegment(raw: string): string | PathCheck {
  if (!raw.includes("%")) {
    return hasControl(raw) ? bad("the path contains a control character") : raw;
  }
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    // The URL parser has percent-encoded everything outside ASCII already.
    if (ch > 0x7e) return bad("the path contains a character the URL parser should have encoded");
    if (ch !== 37) {
      bytes.push(ch);
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!HEX.test(hex)) return bad("the path has a malformed percent-escape");
    const b = Number.parseInt(hex, 16);
    // An encoded separator would be a different path to a router that decodes before it splits.
    if (b === 0x2f || b === 0x5c) return bad("the path contains an encoded slash");
    bytes.push(b);
    i += 2;
  }
  let text: string;
  try {
    text = utf8.decode(new Uint8Array(bytes));
  } catch {
    // Overlong forms and lone surrogates are refused by the strict decoder.
    return bad("the path is not valid UTF-8");
  }
  if (hasControl(text)) return bad("the path contains a control character");
  if (text === "." || text === "..") return bad("the path contains an encoded dot segment");
  // Still an escape after one decode: double encoding, which a second decoder would read differently.
  if (/%[0-9A-Fa-f]{2}/.test(text)) return bad("the path is encoded twice");
  return text;
}

function encodeSegment(segment: string): string {
  let out = "";
  for (const ch of segment) {
    if (KEEP.test(ch)) out += ch;
    else for (const b of encoder.encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function bad(reason: string): PathCheck {
  return { ok: false, reason };
}
