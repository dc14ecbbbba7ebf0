// How a Worker reads the switches: isolate memory (~2 s), then the location's cached copy (~1 s), then the object,
// and KV when the object cannot be reached. Never throws, never holds a request that has a copy to serve.
import { log as logger } from "../log/index.ts";
import { createRefreshing, type Refreshing } from "../memo/index.ts";
import type { Copies } from "./board.ts";
import { readCopies } from "./kv-copies.ts";
import type { LocationCache } from "./location-cache.ts";
import { mergeSwitches, NO_SWITCHES, type Switches, type SwitchSource } from "./switches.ts";

export interface SwitchReader extends Refreshing<Switches> {
  /** Where the copy in memory came from the last time it was loaded. */
  source(): SwitchSource;
  /**
   * Whether the last load came from the object, directly or through a location copy of it: then the purges it
   * carries are current. After a fallback to KV (which has none) it is false until the object answers again.
   */
  purgesLive(): boolean;
}

export type SwitchReaderOptions = {
  /** The object's current switches; rejects when it cannot be reached in time (see callBoard). */
  object: () => Promise<Switches>;
  kv: KVNamespace;
  /** The edge's per-location copy; Workers that run in few places (origin, jobs) go to the object directly. */
  location?: LocationCache;
  /** How long an isolate trusts its copy: with the location's, it bounds how late a change shows. */
  memoryMs: number;
  kvTimeoutMs?: number;
  /** After the object failed, this isolate goes straight to KV for this long instead of waiting on it again. */
  coolDownMs?: number;
  now?: () => number;
  log?: (event: string, detail: Record<string, unknown>) => void;
};

const warn = (event: string, detail: Record<string, unknown>) => logger.warn(event, detail);

/** KV's copies over what is held: a missing or unreadable copy never replaces a switch. */
function withCopies(held: Switches, copies: Copies): Switches {
  return mergeSwitches(held, {
    readOnly: copies.readOnly ?? held.readOnly,
    flags: copies.flags ?? held.flags,
  });
}

/** Create once per isolate (module scope), so its requests share the copy in memory. */
export function createSwitchReader(opts: SwitchReaderOptions): SwitchReader {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? warn;
  const kvTimeoutMs = opts.kvTimeoutMs ?? 1_000;
  const coolDownMs = opts.coolDownMs ?? 5_000;
  let held: Switches | null = null;
  let source: SwitchSource = "none";
  let live = false;
  let coolUntil = 0;

  const keep = (s: Switches, from: SwitchSource, fromObject: boolean): Switches => {
    held = s;
    source = from;
    live = fromObject;
    return s;
  };
  // Merging by stamp: whichever tier answers, a switch never moves back to an older setting.
  const over = (s: Switches) => (held === null ? s : mergeSwitches(held, s));

  async function load(): Promise<Switches> {
    let best = held;
    if (opts.location) {
      try {
        const copy = await opts.location.take(now(), held);
        if (copy) {
          best = best === null ? copy.switches : mergeSwitches(best, copy.switches);
          if (copy.verdict !== "stale") return keep(best, "location", copy.fromObject);
        }
      } catch (error) {
        log("switchboard.cache_error", { error: String(error) });
      }
    }
    if (now() >= coolUntil) {
      try {
        const fresh = await opts.object();
        const merged = best === null ? fresh : mergeSwitches(best, fresh);
        await opts.location?.store(merged, now(), true).catch(() => undefined);
        return keep(merged, "object", true);
      } catch (error) {
        coolUntil = now() + coolDownMs;
        log("switchboard.object_unreachable", { error: String(error), using: "kv" });
      }
    }
    try {
      const merged = withCopies(best ?? NO_SWITCHES, await readCopies(opts.kv, kvTimeoutMs));
      // Shared with the location, so its other isolates skip the object they would wait on too.
      await opts.location?.store(merged, now(), false).catch(() => undefined);
      return keep(merged, "kv", false);
    } catch (error) {
      log("switchboard.kv_error", { error: String(error), using: best ? "last_known" : "defaults" });
      return keep(best ?? NO_SWITCHES, best ? source : "none", false);
    }
  }

  const memo = createRefreshing(load, { ttlMs: opts.memoryMs, now });
  return {
    get: (ctx) => memo.get(ctx),
    peek: (ctx) => memo.peek(ctx),
    /** A value this isolate just wrote: visible here at once, merged so it cannot undo a newer one. */
    set(value) {
      memo.set(keep(over(value), source, live));
    },
    source: () => source,
    purgesLive: () => live,
  };
}
