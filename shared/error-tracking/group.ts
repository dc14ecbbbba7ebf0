// Grouping errors (Disqus: "emailing exceptions is a bad idea"): one fingerprint per kind, counted, not one per event.
import { errorFields } from "../log/index.ts";

export type ErrorGroup = {
  fingerprint: string;
  type: string;
  message: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  lastRequestId: string | null;
  sampleStack: string;
};

/** Stack frames without line and column numbers (they change with every build) or query strings. */
export function topFrames(stack: string | undefined, n = 5): string[] {
  if (!stack) return [];
  return stack
    .split("\n")
    .slice(1)
    .map((l) => l.trim().replace(/^at\s+/, ""))
    .filter(Boolean)
    .slice(0, n)
    .map((f) =>
      f
        .replace(/:\d+(:\d+)?\)?$/, "")
        .replace(/\?[^)\s]*/, "")
        .replace(/\($/, ""),
    );
}

/** The message without what differs per occurrence: ids, numbers, quoted values. */
export function messageShape(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "U")
    .replace(/"[^"]*"|'[^']*'/g, "Q")
    .replace(/\d+/g, "N");
}

/**
 * sha-256 of the error's type, message shape and top frames: the same bug from any request is one group. The
 * message shape counts too: in a minified bundle every frame is the same file once line numbers are dropped.
 */
export async function fingerprint(error: unknown): Promise<string> {
  const f = errorFields(error);
  const frames = error instanceof Error ? topFrames(error.stack) : [];
  const basis = [f.errorType, messageShape(f.error), ...frames].join("\n");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(basis));
  return [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Collects errors in memory and hands them over in bounded batches, so an error storm costs the database one
 * upsert per group per flush window, never one write per failing request.
 */
export class ErrorGroups {
  readonly #groups = new Map<string, ErrorGroup>();
  readonly #maxGroups: number;
  #lastFlush = 0;

  constructor(maxGroups = 50) {
    this.#maxGroups = maxGroups;
  }

  async add(error: unknown, requestId: string | null, now = Date.now()): Promise<void> {
    const key = await fingerprint(error);
    const f = errorFields(error);
    const existing = this.#groups.get(key);
    if (existing) {
      existing.count++;
      existing.lastSeen = now;
      existing.lastRequestId = requestId ?? existing.lastRequestId;
      return;
    }
    // Bounded: past the limit, new kinds wait for the next window (the ones already held keep counting).
    if (this.#groups.size >= this.#maxGroups) return;
    this.#groups.set(key, {
      fingerprint: key,
      type: f.errorType,
      message: f.error.slice(0, 500),
      count: 1,
      firstSeen: now,
      lastSeen: now,
      lastRequestId: requestId,
      sampleStack: (f.stack ?? "").slice(0, 4000),
    });
  }

  /** What to write now, or nothing if the last flush was less than `everyMs` ago; taking empties the buffer. */
  take(now = Date.now(), everyMs = 5_000): ErrorGroup[] {
    if (this.#groups.size === 0 || now - this.#lastFlush < everyMs) return [];
    this.#lastFlush = now;
    const out = [...this.#groups.values()];
    this.#groups.clear();
    return out;
  }
}
