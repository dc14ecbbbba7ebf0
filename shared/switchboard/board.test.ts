// The switchboard's steps: people's switches, publishing, tripping, the probe's hysteresis, taking over KV's copies.
import { describe, expect, it } from "vitest";
import type { ReadOnlyState } from "../readonly/index.ts";
import {
  adopt,
  applyReadOnly,
  type BoardState,
  EMPTY_BOARD,
  notePurge,
  probed,
  publishFlags,
  switchesOf,
  trip,
} from "./board.ts";
import { PURGES_KEPT } from "./switches.ts";

const T = 1_800_000_000_000;
const why = { reason: "Database unavailable", detail: "5 writes timed out", retryAfter: 30 };
const ON: ReadOnlyState = { on: true, reason: "Move", retryAfter: 600, since: "x", by: "ann" };

function tripped(): BoardState {
  return trip({ ...EMPTY_BOARD, stored: true }, why, T).next;
}

describe("people's switches and publishing", () => {
  it("stamps every change later than the last, audits it, and marks KV behind", () => {
    const on = applyReadOnly(EMPTY_BOARD, { on: true, reason: "Move" }, "ann", T);
    expect(on.next.readOnly).toMatchObject({ state: { on: true, reason: "Move", by: "ann" }, at: T });
    expect(on.next.kvDirty).toBe(true);
    expect(on.audit).toMatchObject([{ action: "readonly.on", actor: "ann", detail: "Move" }]);
    // A clock that stepped back still moves the stamp forward.
    const off = applyReadOnly(on.next, { on: false }, "bob", T - 5_000);
    expect(off.next.readOnly.at).toBe(T + 1);
    expect(off.audit[0]?.action).toBe("readonly.off");
    expect(applyReadOnly(off.next, { on: false }, "bob", T).audit).toEqual([]);
  });

  it("publishes a new snapshot version once; the same one again changes nothing", () => {
    const a = publishFlags(EMPTY_BOARD, { version: "v1", text: "{}" }, "ann", T);
    expect(a.next.flags).toEqual({ version: "v1", text: "{}", at: T });
    expect(a.audit).toMatchObject([{ action: "flags.publish", before: null, after: "v1" }]);
    expect(publishFlags(a.next, { version: "v1", text: "{}" }, "ann", T + 1).next).toBe(a.next);
  });
});

describe("purges", () => {
  it("keeps each purge with a later stamp, unaudited and not for KV, the newest PURGES_KEPT", () => {
    const one = notePurge(EMPTY_BOARD, ["event:1", "event:1", ""], T);
    expect(one.next.purges).toEqual([{ at: T, tags: ["event:1"] }]);
    expect(one.audit).toEqual([]);
    expect(one.next.kvDirty).toBe(false);
    expect(switchesOf(one.next).purges).toEqual(one.next.purges);
    expect(notePurge(one.next, [], T).next).toBe(one.next);
    let s = one.next;
    for (let i = 0; i < PURGES_KEPT + 5; i++) s = notePurge(s, [`t${i}`], T - 1).next; // clock stepped back
    expect(s.purges).toHaveLength(PURGES_KEPT);
    expect(s.purges?.at(-1)).toEqual({ at: T + PURGES_KEPT + 5, tags: [`t${PURGES_KEPT + 4}`] });
  });
});

describe("automatic read-only", () => {
  it("trips with the reason and never over a switch a person set", () => {
    const s = tripped();
    expect(s.readOnly.state).toMatchObject({ on: true, by: "auto", reason: why.reason, retryAfter: 30 });
    expect(s.trip).toEqual({ healthySince: null, lastProbeAt: null, lastDetail: why.detail });
    const manual = applyReadOnly(EMPTY_BOARD, { on: true, reason: "Move" }, "ann", T).next;
    expect(trip(manual, why, T + 1)).toEqual({ next: manual, audit: [] });
  });

  it("clears only after the primary answered healthy throughout the hysteresis time", () => {
    let s = tripped();
    s = probed(s, { healthy: true, detail: "ok" }, T + 1_000, 5_000).next;
    expect(s.trip?.healthySince).toBe(T + 1_000);
    // One bad answer starts the count again.
    s = probed(s, { healthy: false, detail: "timeout" }, T + 3_000, 5_000).next;
    expect(s.trip?.healthySince).toBeNull();
    s = probed(s, { healthy: true, detail: "ok" }, T + 4_000, 5_000).next;
    expect(probed(s, { healthy: true, detail: "ok" }, T + 8_999, 5_000).next.readOnly.state.on).toBe(true);
    const clear = probed(s, { healthy: true, detail: "ok" }, T + 9_000, 5_000);
    expect(clear.next.readOnly.state).toMatchObject({ on: false, by: "auto" });
    expect(clear.next.trip).toBeNull();
    expect(clear.audit).toMatchObject([{ action: "readonly.clear", actor: "auto" }]);
  });

  it("never clears a switch a person took over while tripped", () => {
    const taken = applyReadOnly(tripped(), { on: true, reason: "Keep it" }, "ann", T + 1).next;
    expect(taken.trip).toBeNull();
    const step = probed(taken, { healthy: true, detail: "ok" }, T + 60_000, 0);
    expect(step.next.readOnly.state).toMatchObject({ on: true, by: "ann" });
    expect(step.audit).toEqual([]);
  });
});

describe("adopt (KV's copies)", () => {
  it("takes over whatever KV holds when nothing was ever stored (an upgraded site)", () => {
    const step = adopt(
      EMPTY_BOARD,
      { readOnly: { state: ON, at: 1 }, flags: { version: "v", text: "{}", at: 1 } },
      T,
    );
    expect(step.next).toMatchObject({ stored: true, readOnly: { state: ON }, flags: { version: "v" } });
    expect(step.audit.map((r) => r.action)).toEqual(["readonly.adopt", "flags.adopt"]);
  });

  it("takes a newer copy (written while unreachable), never an older one", () => {
    const mine = applyReadOnly(EMPTY_BOARD, { on: false }, "ann", T).next;
    const older = adopt(mine, { readOnly: { state: ON, at: T - 1 }, flags: null }, T + 5);
    expect(older.next).toBe(mine);
    const newer = adopt(mine, { readOnly: { state: ON, at: T + 1 }, flags: null }, T + 5);
    expect(newer.next.readOnly).toEqual({ state: ON, at: T + 1 });
    expect(adopt(mine, { readOnly: null, flags: null }, T).next).toBe(mine);
  });
});
