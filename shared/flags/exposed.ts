// The header by which a page names the experiments it showed, so exposures are recorded only where one was seen.
export const FLAGS_EXPOSED_HEADER = "x-flags-exposed";

/** The header's value for these keys: comma-separated, non-ASCII percent-encoded (keys never hold `,` or `%`). */
export function exposedHeader(keys: Iterable<string>): string {
  return [...new Set(keys)].map((k) => k.replace(/[^\x20-\x7e]+/g, encodeURIComponent)).join(",");
}

/** Flag keys named in the header; empty when the page showed no experiment. */
export function exposedFlags(header: string | null): Set<string> {
  const out = new Set<string>();
  if (!header) return out;
  for (const part of header.split(",")) {
    let key = part.trim();
    try {
      key = decodeURIComponent(key);
    } catch {
      continue;
    }
    if (key) out.add(key);
  }
  return out;
}
