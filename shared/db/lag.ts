// Replica lag in seconds from where the primary was and when, not from the age of the last replayed commit.
//
// `now() - pg_last_xact_replay_timestamp()` is the age of the last commit the replica replayed: after a quiet spell
// it is the length of the quiet spell, so the first write after it makes a replica 1 s behind read as many seconds
// behind. What the replica has not replayed yet was committed after the last moment the primary was seen at or
// below the replica's position, and at or before the first moment it was seen past it: the lag lies between.
import { parseLsn } from "./lsn.ts";

export type Position = { at: number; lsn: string };

/** How many primary positions an isolate keeps (probe samples and its own commits), and for how long. */
const MAX_POSITIONS = 128;
const MAX_AGE_MS = 10 * 60_000;

/** The primary's recent positions as this isolate saw them; `add` keeps them in time order. */
export class PrimaryHistory {
  readonly #positions: Position[] = [];

  add(p: Position): void {
    if (parseLsn(p.lsn) === null) return;
    const list = this.#positions;
    let i = list.length;
    while (i > 0 && (list[i - 1]?.at ?? 0) > p.at) i--;
    list.splice(i, 0, p);
    const cutoff = p.at - MAX_AGE_MS;
    while (list.length > MAX_POSITIONS || (list[0] && list[0].at < cutoff)) list.shift();
  }

  positions(): readonly Position[] {
    return this.#positions;
  }
}

/**
 * Pure. Seconds the replica (replayed up to `replayLsn` at `now`) is behind: the middle of the window in which
 * its oldest missing commit was made, never more than the replay timestamp's age (an upper bound). null when the
 * history cannot tell (then callers fall back to that age).
 */
export function lagFromHistory(
  history: readonly Position[],
  replayLsn: string,
  now: number,
  ageSeconds: number | null,
): number | null {
  const replay = parseLsn(replayLsn);
  if (replay === null) return null;
  let lastAtOrBelow: number | null = null;
  let firstAbove: number | null = null;
  for (const p of history) {
    const lsn = parseLsn(p.lsn);
    if (lsn === null || p.at > now) continue;
    if (lsn <= replay) lastAtOrBelow = lastAtOrBelow === null ? p.at : Math.max(lastAtOrBelow, p.at);
    else if (firstAbove === null || p.at < firstAbove) firstAbove = p.at;
  }
  // Every position seen is replayed (or none was seen at all: nothing to tell).
  if (firstAbove === null) return lastAtOrBelow === null ? null : 0;
  // Never saw the primary at the replica's position: the history began after the replica fell behind.
  if (lastAtOrBelow === null || lastAtOrBelow > firstAbove) return null;
  const estimate = Math.max(0, (now - (lastAtOrBelow + firstAbove) / 2) / 1000);
  return ageSeconds === null ? estimate : Math.min(estimate, Math.max(0, ageSeconds));
}
