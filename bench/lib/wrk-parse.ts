// Reads the numbers the benches need out of `wrk --latency` output (pure: text in, figures out).

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses outside 2xx/3xx. */
  non2xx: number;
  /** Connect, read, write and timeout errors together. */
  errors: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** "812.00us" → 0.812, "1.20ms" → 1.2, "2.01s" → 2010; NaN when unreadable. */
export function durationMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m?.[1] || !m[2]) return Number.NaN;
  return Number(m[1]) * (UNIT_MS[m[2]] ?? Number.NaN);
}

export function parseWrk(output: string): LoadResult {
  const num = (re: RegExp) => Number(re.exec(output)?.[1] ?? Number.NaN);
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+(\\S+)`, "m").exec(output);
    return m?.[1] ? durationMs(m[1]) : Number.NaN;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const errors = socket ? socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests: num(/^\s*(\d+) requests in/m),
    perSecond: num(/^Requests\/sec:\s+([\d.]+)/m),
    p50Ms: pct("50"),
    p99Ms: pct("99"),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    errors,
  };
}
