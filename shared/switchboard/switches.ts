// The switches every Worker reads (read-only state, flags snapshot), each stamped with when it was set; pure.
import * as z from "zod/mini";
import { READ_ONLY_OFF, type ReadOnlyState, readOnlyStateSchema } from "../readonly/index.ts";

/** The read-only state and the time (ms) it was set: a newer `at` always wins, wherever a copy came from. */
export type ReadOnlyEntry = { state: ReadOnlyState; at: number };
/** The published flags snapshot as stored (JSON text), its content-hash version, and when it was published. */
export type FlagsEntry = { version: string; text: string; at: number };

export type Switches = { readOnly: ReadOnlyEntry; flags: FlagsEntry | null };

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
  return readOnly === held.readOnly && flags === held.flags ? held : { readOnly, flags };
}

/** A short identity of a Switches value: equal keys mean equal contents (stamps and flags version). */
export function switchesKey(s: Switches): string {
  return `${s.readOnly.at}.${s.flags?.at ?? 0}.${s.flags?.version ?? "-"}`;
}

/** The next stamp after `prev`: the clock, but never at or before what is stored (clocks may step back). */
export function nextStamp(prev: number, now: number): number {
  return Math.max(Math.trunc(now), prev + 1);
}
