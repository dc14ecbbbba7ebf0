// A switchboard namespace for unit tests: the real pure steps (board.ts) in memory, with outage knobs.
import type { ReadOnlyPut } from "../readonly/index.ts";
import type { SwitchboardNamespace } from "../switchboard/index.ts";
import {
  type AuditRow,
  adopt,
  applyReadOnly,
  type BoardState,
  type Copies,
  EMPTY_BOARD,
  probed,
  publishFlags,
  type Step,
  switchesOf,
  trip,
} from "../switchboard/index.ts";
// biome-ignore lint/style/noRestrictedImports: the Durable Object class imports cloudflare:workers, so it stays out of the barrel
import type { TripRequest } from "../switchboard/object.ts";

export type FakeSwitchboard = {
  ns: SwitchboardNamespace;
  state: BoardState;
  audit: AuditRow[];
  calls: string[];
  /** Every call rejects (the object unreachable). */
  down: boolean;
  /** Every call never answers (the object's region cut off). */
  hang: boolean;
  /** What the next probes report. */
  healthy: boolean;
  now: () => number;
  adopt(copies: Copies): void;
};

export function fakeSwitchboard(opts: { now?: () => number; clearAfterMs?: number } = {}): FakeSwitchboard {
  const fake: FakeSwitchboard = {
    ns: null as unknown as SwitchboardNamespace,
    state: EMPTY_BOARD,
    audit: [],
    calls: [],
    down: false,
    hang: false,
    healthy: true,
    now: opts.now ?? Date.now,
    adopt: (copies) => void commit(adopt(fake.state, copies, fake.now())),
  };
  const commit = (step: Step) => {
    fake.state = step.next;
    fake.audit.push(...step.audit);
    return switchesOf(fake.state);
  };
  const call = async <T>(name: string, run: () => T): Promise<T> => {
    fake.calls.push(name);
    if (fake.hang) await new Promise(() => {});
    if (fake.down) throw new Error("switchboard unreachable");
    return structuredClone(run());
  };
  const stub = {
    read: () => call("read", () => switchesOf(fake.state)),
    setReadOnly: (put: ReadOnlyPut, actor: string) =>
      call("setReadOnly", () => commit(applyReadOnly(fake.state, put, actor, fake.now()))),
    publishFlags: (flags: { version: string; text: string }, actor: string) =>
      call("publishFlags", () => commit(publishFlags(fake.state, flags, actor, fake.now()))),
    trip: (why: TripRequest) =>
      call("trip", () => {
        const step = trip(fake.state, why, fake.now());
        return { tripped: step.audit.length > 0, switches: commit(step) };
      }),
    probe: () =>
      call("probe", () => {
        const result = { healthy: fake.healthy, detail: fake.healthy ? "ok" : "down" };
        const step = probed(fake.state, result, fake.now(), opts.clearAfterMs ?? 0);
        commit(step);
        const cleared = step.audit.length > 0;
        return { tripped: !cleared, healthy: result.healthy, detail: result.detail, cleared };
      }),
    audit: (limit: number) =>
      call("audit", () =>
        fake.audit
          .map((row, i) => ({ ...row, id: i + 1, at: new Date(row.at).toISOString() }))
          .slice(-limit)
          .reverse(),
      ),
    kick: () => call("kick", () => switchesOf(fake.state)),
  };
  fake.ns = { idFromName: (name: string) => name, get: () => stub } as unknown as SwitchboardNamespace;
  return fake;
}
