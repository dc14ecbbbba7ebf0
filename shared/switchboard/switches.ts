// The switches every Worker reads (read-only state, flags snapshot, recent purges), each stamped with when it was
// set; pure.
import * as z from "zod/mini";
import { READ_ONLY_OFF, type ReadOnlyState, readOnlyStateSchema } from "../readonly/index.ts";

/** The read-only state and the time (ms) it was set: a newer `at` always wins, wherever a copy came from. */
export type ReadOnlyEntry = { state: ReadOnlyState; at: number };
/** The published flags snapshot as stored (JSON text), its content-hash version, and when it was published. */
export type FlagsEntry = { version: string; text: string; at: number };

/** A purge made at any edge (tags, the pages' URL tags included) and its stamp, so every isolate can apply it. */
export type PurgeEntry = { at: number; tags: string[] };

/** `purges`: the most recent ones, oldest first (absent before the first). */
export type Switches = { readOnly: ReadOnlyEntry; flags: FlagsEntry | null; purges?: PurgeEntry[] };

/** Purges kept with the switches: far more than arrive between two reads of any isolate (about 3 s). */
export const PURGES_KEPT = 200;

/** Where a reader's copy came from this time: the object, a location's cached copy of it, or KV (fallback). */
export type SwitchSource = "object" | "location" | "kv" | "none";

export const NO_SWITCHES: Readonly<Switches> = Object.freeze({
  readOnly: { state: { ...READ_ONLY_OFF }, at: 0 },
  flags: null,
});

const at = z.number().check(z.int(), z.gte(0));

export const switchesSchema = z.object({
  readOnly: z.object({ state: readOnlyStateSchema, at }),
  flags: z.nullable(z.object({ version: z.string().check(z.minLength(1)), text: z.string(), at })),
  purges: z.optional(z.array(z.object({ at, tags: z.array(z.string()) }))),
});

/** A Switches value from untrusted JSON (a cached copy, an RPC answer); null when it is not one. */
export function parseSwitches(value: unknown): Switches | null {
  const parsed = switchesSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The later of two stamped entries; on a tie the first (what the caller already holds). */
export function newer<T extends { at: number }>(held: T | null, other: T | null): T | null {
  if (held === null) return other;
  if (other === null) return held;
  return other.at > held.at ? other : held;
}

/**
 * Each switch from whichever copy is newer. Copies meet from the object, a location's cache and KV; comparing
 * stamps (not sources) means a copy can never move a switch back, whichever answered last.
 */
export function mergeSwitches(held: Switches, other: Switches): Switches {
  const readOnly = newer(held.readOnly, other.readOnly) ?? held.readOnly;
  const flags = newer(held.flags, other.flags);
  const purges = mergePurges(held.purges, other.purges);
  if (readOnly === held.readOnly && flags === held.flags && purges === held.purges) return held;
  return purges ? { readOnly, flags, purges } : { readOnly, flags };
}

/** The stamp of the latest purge a copy carries (0: none). */
export const lastPurgeAt = (s: Switches): number => s.purges?.at(-1)?.at ?? 0;

/** Both lists by stamp, the newest PURGES_KEPT; `held` itself when `other` adds nothing. */
function mergePurges(
  held: PurgeEntry[] | undefined,
  other: PurgeEntry[] | undefined,
): PurgeEntry[] | undefined {
  if (!other?.length) return held;
  if (!held?.length) return other;
  const seen = new Set(held.map((p) => p.at));
  const added = other.filter((p) => !seen.has(p.at));
  if (added.length === 0) return held;
  return [...held, ...added].sort((a, b) => a.at - b.at).slice(-PURGES_KEPT);
}

/** A short identity of a Switches value: equal keys mean equal contents (stamps and flags version). */
export function switchesKey(s: Switches): string {
  return `${s.readOnly.at}.${s.flags?.at ?? 0}.${s.flags?.version ?? "-"}.${lastPurgeAt(s)}`;
}

/** The next stamp after `prev`: the clock, but never at or before what is stored (clocks may step back). */
export function nextStamp(prev: number, now: number): number {
  return Math.max(Math.trunc(now), prev + 1);
}
