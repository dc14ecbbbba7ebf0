// Content negotiation and escaping shared by every page the Workers build by hand (errors, read-only, banners).
const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** Browsers name text/html explicitly; fetch() and curl send only a wildcard, and they get JSON. */
export function prefersHtml(accept: string | null | undefined): boolean {
  if (!accept) return false;
  let html = 0;
  let json = 0;
  for (const part of accept.split(",")) {
    const [type = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith("q="));
    const q = qParam ? Number.parseFloat(qParam.slice(2)) : 1;
    if (Number.isNaN(q)) continue;
    if (type === "text/html" || type === "application/xhtml+xml") html = Math.max(html, q);
    if (type === "application/json" || type.endsWith("+json")) json = Math.max(json, q);
  }
  return html > 0 && html >= json;
}

/** "in a few seconds", "in about 10 minutes", "in about 2 hours": people read these, not seconds. */
export function describeRetry(seconds: number): string {
  if (seconds < 60) return "in a few seconds";
  if (seconds < 3_600) {
    const minutes = Math.round(seconds / 60);
    return minutes === 1 ? "in about a minute" : `in about ${minutes} minutes`;
  }
  const hours = Math.round(seconds / 3_600);
  return hours === 1 ? "in about an hour" : `in about ${hours} hours`;
}
