// Small text helpers shared by the read-only page and banner: HTML escaping and human retry times.
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

/** Reasons are typed by operators; end them as a sentence so the text that follows reads right. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export const DEFAULT_READ_ONLY_REASON = "The site is undergoing maintenance.";
