// What the switchboard object holds and every change to it, as pure steps: next state plus the audit rows.
import {
  AUTO_ACTOR,
  autoReadOnlyState,
  isAutoReadOnly,
  nextReadOnlyState,
  READ_ONLY_OFF,
  type ReadOnlyPut,
} from "../readonly/index.ts";
import {
  type FlagsEntry,
  lastPurgeAt,
  newer,
  nextStamp,
  PURGES_KEPT,
  type ReadOnlyEntry,
  type Switches,
} from "./switches.ts";

/** While tripped: since when the primary has answered healthy without a break (null: not healthy yet). */
export type TripProgress = { healthySince: number | null; lastProbeAt: number | null; lastDetail: string };

export type BoardState = Switches & {
  trip: TripProgress | null;
  /** KV's fallback copies are behind the object (a write to KV failed): the next alarm writes them again. */
  kvDirty: boolean;
  /** False until anything was stored: a new object first takes over what KV holds (an upgraded site). */
  stored: boolean;
};

export type AuditRow = {
  at: number;
  actor: string;
  action: string;
  detail: string;
  before: unknown;
  after: unknown;
};

export type Step = { next: BoardState; audit: AuditRow[] };

export const EMPTY_BOARD: Readonly<BoardState> = Object.freeze({
  readOnly: { state: { ...READ_ONLY_OFF }, at: 0 },
  flags: null,
  trip: null,
  kvDirty: false,
  stored: false,
});

const iso = (ms: number) => new Date(ms).toISOString();
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The switches readers get (what is stored, without the object's bookkeeping). */
export function switchesOf(s: BoardState): Switches {
  return s.purges
    ? { readOnly: s.readOnly, flags: s.flags, purges: s.purges }
    : { readOnly: s.readOnly, flags: s.flags };
}

/**
 * A purge made at one edge, kept so every other isolate drops its hot copies too. Not audited (purges follow
 * every edit) and not copied to KV: an isolate that reads KV's fallback keeps its hot copies only briefly.
 */
export function notePurge(s: BoardState, tags: readonly string[], now: number): Step {
  const named = [...new Set(tags)].filter(Boolean);
  if (named.length === 0) return { next: s, audit: [] };
  const entry = { at: nextStamp(lastPurgeAt(s), now), tags: named };
  return {
    next: { ...s, purges: [...(s.purges ?? []), entry].slice(-PURGES_KEPT), stored: true },
    audit: [],
  };
}

/** A person's change of the read-only switch: `since` moves only when it flips; a person takes over a trip. */
export function applyReadOnly(s: BoardState, put: ReadOnlyPut, actor: string, now: number): Step {
  const before = s.readOnly.state;
  const state = nextReadOnlyState(before, put, actor, iso(now));
  if (same(state, before)) return { next: s, audit: [] };
  const action = before.on === state.on ? "readonly.update" : state.on ? "readonly.on" : "readonly.off";
  return {
    next: {
      ...s,
      readOnly: { state, at: nextStamp(s.readOnly.at, now) },
      trip: isAutoReadOnly(state) ? s.trip : null,
      kvDirty: true,
      stored: true,
    },
    audit: [{ at: now, actor, action, detail: state.reason, before, after: state }],
  };
}

export function publishFlags(s: BoardState, flags: Omit<FlagsEntry, "at">, actor: string, now: number): Step {
  if (s.flags?.version === flags.version && s.flags.text === flags.text) return { next: s, audit: [] };
  const entry: FlagsEntry = { ...flags, at: nextStamp(s.flags?.at ?? 0, now) };
  return {
    next: { ...s, flags: entry, kvDirty: true, stored: true },
    audit: [
      {
        at: now,
        actor,
        action: "flags.publish",
        detail: `version ${flags.version}`,
        before: s.flags?.version ?? null,
        after: flags.version,
      },
    ],
  };
}

/** Read-only by itself; nothing happens when it is on already (a person's switch is never overwritten). */
export function trip(
  s: BoardState,
  why: { reason: string; detail: string; retryAfter: number },
  now: number,
): Step {
  const state = autoReadOnlyState(s.readOnly.state, why.reason, iso(now), why.retryAfter);
  if (!state) return { next: s, audit: [] };
  return {
    next: {
      ...s,
      readOnly: { state, at: nextStamp(s.readOnly.at, now) },
      trip: { healthySince: null, lastProbeAt: null, lastDetail: why.detail },
      kvDirty: true,
      stored: true,
    },
    audit: [
      {
        at: now,
        actor: AUTO_ACTOR,
        action: "readonly.trip",
        detail: why.detail,
        before: s.readOnly.state,
        after: state,
      },
    ],
  };
}

/**
 * One probe of the primary while tripped. Hysteresis: it clears only after the primary has answered healthy at
 * every probe for `clearAfterMs`; one bad answer starts the count again. A person's switch is never cleared.
 */
export function probed(
  s: BoardState,
  result: { healthy: boolean; detail: string },
  now: number,
  clearAfterMs: number,
): Step {
  if (!isAutoReadOnly(s.readOnly.state)) return { next: s.trip ? { ...s, trip: null } : s, audit: [] };
  const healthySince = result.healthy ? (s.trip?.healthySince ?? now) : null;
  if (healthySince === null || now - healthySince < clearAfterMs) {
    const trip = { healthySince, lastProbeAt: now, lastDetail: result.detail };
    return { next: { ...s, trip }, audit: [] };
  }
  const state = { ...s.readOnly.state, on: false, reason: "", since: iso(now), by: AUTO_ACTOR };
  return {
    next: { ...s, readOnly: { state, at: nextStamp(s.readOnly.at, now) }, trip: null, kvDirty: true },
    audit: [
      {
        at: now,
        actor: AUTO_ACTOR,
        action: "readonly.clear",
        detail: `primary healthy for ${now - healthySince} ms: ${result.detail}`,
        before: s.readOnly.state,
        after: state,
      },
    ],
  };
}

/** What KV holds, each copy null when missing or unreadable. */
export type Copies = { readOnly: ReadOnlyEntry | null; flags: FlagsEntry | null };

/**
 * Copies found in KV: taken when newer (a change written to KV while the object could not be reached), or when
 * nothing was ever stored here (a site that had switches before it had the object).
 */
export function adopt(s: BoardState, copies: Copies, now: number): Step {
  const take = <T extends { at: number }>(held: T | null, copy: T | null): T | null =>
    copy === null ? held : s.stored ? newer(held, copy) : copy;
  const readOnly = take(s.readOnly, copies.readOnly) ?? s.readOnly;
  const flags = take(s.flags, copies.flags);
  const audit: AuditRow[] = [];
  if (readOnly !== s.readOnly && !same(readOnly.state, s.readOnly.state)) {
    audit.push({
      at: now,
      actor: readOnly.state.by ?? "admin",
      action: "readonly.adopt",
      detail: "taken from KV (set while the switchboard could not be reached)",
      before: s.readOnly.state,
      after: readOnly.state,
    });
  }
  if (flags !== s.flags && flags?.version !== s.flags?.version) {
    audit.push({
      at: now,
      actor: "admin",
      action: "flags.adopt",
      detail: `version ${flags?.version ?? "none"} taken from KV`,
      before: s.flags?.version ?? null,
      after: flags?.version ?? null,
    });
  }
  if (readOnly === s.readOnly && flags === s.flags && s.stored) return { next: s, audit: [] };
  const tripped = isAutoReadOnly(readOnly.state);
  return {
    next: {
      ...s,
      readOnly,
      flags,
      trip: tripped ? (s.trip ?? { healthySince: null, lastProbeAt: null, lastDetail: "" }) : null,
      stored: true,
    },
    audit,
  };
}
