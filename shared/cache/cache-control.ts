// Parses the HTTP header grammars the cache reads: Cache-Control directives and comma lists (Vary, Cache-Tag).

/** Directive name (lowercased) → argument; `true` for a directive without `=value`. */
export type Directives = ReadonlyMap<string, string | true>;

/** RFC 9111 §5.2: case-insensitive names, optional token or quoted-string arguments. */
export function parseCacheControl(value: string | null): Directives {
  const out = new Map<string, string | true>();
  if (!value) return out;
  for (const part of splitOutsideQuotes(value)) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name) continue;
    let arg: string | true = true;
    if (eq >= 0) {
      arg = part.slice(eq + 1).trim();
      if (arg.length >= 2 && arg.startsWith('"') && arg.endsWith('"')) arg = arg.slice(1, -1);
    }
    // RFC 9111 §4.2.1: with duplicate directives the first one wins (the conservative reading).
    if (!out.has(name)) out.set(name, arg);
  }
  return out;
}

/** A delta-seconds argument; a malformed one reads as 0 so it can only shorten a lifetime (RFC 9111 §1.2.2). */
export function seconds(d: Directives, name: string): number | undefined {
  const v = d.get(name);
  if (v === undefined) return undefined;
  if (v === true || !/^\d+$/.test(v)) return 0;
  return Number(v);
}

/** A comma-separated header such as Vary, Cache-Tag or X-Edge-Purge: trimmed, empties dropped, deduplicated. */
export function parseList(value: string | null, lowercase = false): string[] {
  if (!value) return [];
  const seen = new Set<string>();
  for (const raw of value.split(",")) {
    const item = lowercase ? raw.trim().toLowerCase() : raw.trim();
    if (item) seen.add(item);
  }
  return [...seen];
}

function splitOutsideQuotes(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 44 && !quoted) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}
