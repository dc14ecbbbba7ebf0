// The read-only switch over the switchboard: read through the tiered reader, changed at the object (KV if it is
// unreachable), audited there.
import { HTTPException } from "hono/http-exception";
import { log } from "../log/index.ts";
import type { ReadOnlyStore } from "../readonly/index.ts";
import { nextReadOnlyState } from "../readonly/index.ts";
import {
  callBoard,
  KV_ONLY_WARNING,
  OBJECT_WRITE_TIMEOUT_MS,
  type SwitchboardNamespace,
  SwitchboardUnavailable,
} from "./client.ts";
import { writeReadOnlyCopy } from "./kv-copies.ts";
import type { LocationCache } from "./location-cache.ts";
import type { SwitchReader } from "./reader.ts";
import { nextStamp } from "./switches.ts";

export type BoardAccess = {
  ns: SwitchboardNamespace | undefined;
  kv: KVNamespace;
  /** The edge's location copy: a change made here is put there too, so this location sees it at once. */
  location?: LocationCache | undefined;
};

export function readOnlyStore(reader: SwitchReader, access: BoardAccess): ReadOnlyStore {
  return {
    get: async (ctx) => (await reader.get(ctx)).readOnly.state,
    peek: (ctx) => reader.peek(ctx)?.readOnly.state,
    async apply(put, by) {
      try {
        const s = await callBoard(access.ns, (b) => b.setReadOnly(put, by), OBJECT_WRITE_TIMEOUT_MS);
        reader.set(s);
        await access.location?.store(s, Date.now(), true).catch(() => undefined);
        return { state: s.readOnly.state };
      } catch (error) {
        if (!(error instanceof SwitchboardUnavailable)) throw error;
        // The switch must work in an incident: the change goes where readers look when the object is away.
        const held = await reader.get();
        const now = Date.now();
        const state = nextReadOnlyState(held.readOnly.state, put, by, new Date(now).toISOString());
        const entry = { state, at: nextStamp(held.readOnly.at, now) };
        await writeReadOnlyCopy(access.kv, entry);
        reader.set({ ...held, readOnly: entry });
        log.warn("readonly.kv_only", { on: state.on, by, error: error.message });
        return { state, warning: KV_ONLY_WARNING };
      }
    },
    async audit(limit) {
      try {
        return await callBoard(access.ns, (b) => b.audit(limit), OBJECT_WRITE_TIMEOUT_MS);
      } catch (error) {
        if (!(error instanceof SwitchboardUnavailable)) throw error;
        throw new HTTPException(503, {
          message: `The audit trail is kept by the switchboard: ${error.message}`,
        });
      }
    },
  };
}
