// Remembers, per isolate, that data just changed, so cache refills for a few seconds read fresh data.
//
// A write purges pages; the next visitor's refill must not read a lagging replica and re-cache the old page for
// a whole TTL. For a few seconds refills carry the writer's WAL position (origin writes) or ask for the primary
// outright (purges from jobs and operators, which carry no position).
const WINDOW_MS = 5_000;

let recent: { token: string | null; until: number } | null = null;

export function noteWrite(token: string | null, now = Date.now()): void {
  recent = { token, until: now + WINDOW_MS };
}

/** null when nothing changed lately; else the position to read at (or null token = read the primary). */
export function recentWrite(now = Date.now()): { token: string | null } | null {
  return recent && recent.until > now ? recent : null;
}
