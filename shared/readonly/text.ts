// Small text helpers shared by the read-only page and banner.
/** Reasons are typed by operators; end them as a sentence so the text that follows reads right. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export const DEFAULT_READ_ONLY_REASON = "The site is undergoing maintenance.";
