// The origin's view of the switches (its own copy, like every Worker's): for defence in depth and automatic trips.
import type { OriginConfig } from "../../shared/env/index.ts";
import type { ReadOnlyStore } from "../../shared/readonly/index.ts";
import {
  callBoard,
  createSwitchReader,
  OBJECT_READ_TIMEOUT_MS,
  readOnlyStore,
  type SwitchReader,
} from "../../shared/switchboard/index.ts";

// Copies only (no connections), so they live across requests.
let switches: SwitchReader | null = null;
let readOnly: ReadOnlyStore | null = null;

/** The switches as this isolate sees them: memory, then the switchboard (the origin runs in few places), then KV. */
export function originSwitches(config: OriginConfig): SwitchReader {
  const board = config.bindings.SWITCHBOARD;
  switches ??= createSwitchReader({
    object: () => callBoard(board, (b) => b.read(), OBJECT_READ_TIMEOUT_MS),
    kv: config.bindings.CONFIG,
    memoryMs: config.SWITCH_MEMORY_MS,
  });
  return switches;
}

export function readOnlySwitch(config: OriginConfig): ReadOnlyStore {
  readOnly ??= readOnlyStore(originSwitches(config), {
    ns: config.bindings.SWITCHBOARD,
    kv: config.bindings.CONFIG,
  });
  return readOnly;
}
