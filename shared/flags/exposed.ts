// The header by which a page names the experiments it showed, so exposures are recorded only where one was seen.
export const FLAGS_EXPOSED_HEADER = "x-flags-exposed";

/** Flag keys named in the header (comma-separated); empty when the page showed no experiment. */
export function exposedFlags(header: string | null): Set<string> {
  const out = new Set<string>();
  if (!header) return out;
  for (const part of header.split(",")) {
    const key = part.trim();
    if (key) out.add(key);
  }
  return out;
}
