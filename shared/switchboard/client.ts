// Calls to the switchboard object from any Worker: one object per environment, every call bounded in time.
import { withTimeout } from "../deadline/index.ts";
import { log } from "../log/index.ts";
import type { Switchboard } from "./object.ts";

/**
 * The binding as each Worker's generated types give it: typed by the class in the origin, which hosts it, and
 * untyped where it is bound by script name (edge, jobs). Calls are typed by the class either way.
 */
export type SwitchboardNamespace = DurableObjectNamespace<Switchboard> | DurableObjectNamespace;
export type SwitchboardStub = DurableObjectStub<Switchboard>;

/** The one object's name: every Worker of an environment reaches the same instance by it. */
export const SWITCHBOARD_NAME = "switches";

/** Reads must never hold a page for long: past this the caller falls back to a cached or KV copy. */
export const OBJECT_READ_TIMEOUT_MS = 500;
/** Writes (an operator's switch, a publish, a trip) may wait longer: they are rare and someone is waiting. */
export const OBJECT_WRITE_TIMEOUT_MS = 5_000;

/** What an admin change says when only KV (the fallback) could take it. */
export const KV_ONLY_WARNING =
  "The switchboard could not be reached, so the change is stored in KV only: locations that cannot reach the " +
  "switchboard either see it within ~60 s, and the switchboard takes it over at its next check (within a minute).";

export class SwitchboardUnavailable extends Error {
  override name = "SwitchboardUnavailable";
}

/**
 * A fresh stub per call: stubs are I/O objects, and Workers refuse I/O started in one request and used in another.
 * Null when the Worker has no binding (a partial local setup); callers then use KV alone.
 */
export function switchboardStub(ns: SwitchboardNamespace | undefined): SwitchboardStub | null {
  if (!ns) return null;
  const typed = ns as DurableObjectNamespace<Switchboard>;
  return typed.get(typed.idFromName(SWITCHBOARD_NAME));
}

/** Runs one call on the object within `timeoutMs`; any failure becomes SwitchboardUnavailable with the cause. */
export async function callBoard<T>(
  ns: SwitchboardNamespace | undefined,
  call: (stub: SwitchboardStub) => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const stub = switchboardStub(ns);
  if (!stub) throw new SwitchboardUnavailable("no SWITCHBOARD binding");
  try {
    // An RPC call's promise is callable (for pipelining), so withTimeout would take it for a function: wrap it.
    const answer = (async () => await call(stub))();
    return await withTimeout(answer, timeoutMs, {
      error: () => new SwitchboardUnavailable(`the switchboard did not answer within ${timeoutMs} ms`),
    });
  } catch (error) {
    if (error instanceof SwitchboardUnavailable) throw error;
    throw new SwitchboardUnavailable(`the switchboard failed: ${String(error)}`, { cause: error });
  }
}

/**
 * The scheduled kick (the jobs Worker's cron, `npm run dev`'s tick): the object takes changes KV got while it was
 * unreachable and re-arms its probe. Never throws: the cron's other work must not depend on it.
 */
export async function kickSwitchboard(ns: SwitchboardNamespace | undefined): Promise<void> {
  try {
    await callBoard(ns, (b) => b.kick(), OBJECT_WRITE_TIMEOUT_MS);
  } catch (error) {
    log.warn("switchboard.kick_failed", { error: String(error) });
  }
}
