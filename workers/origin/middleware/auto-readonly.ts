// Counts every write's outcome and, when the primary is down or refusing writes, trips the site read-only through
// the switchboard (docs/decisions/026-automatic-read-only.md).
import type { Context } from "hono";
import type { OriginConfig } from "../../../shared/env/index.ts";
import { log } from "../../../shared/log/index.ts";
import {
  AUTO_REASONS,
  AUTO_RETRY_AFTER_S,
  createWriteFailureTrip,
  type WriteFailureTrip,
  type WriteOutcome,
  writeOutcome,
} from "../../../shared/readonly/index.ts";
import { callBoard, OBJECT_WRITE_TIMEOUT_MS } from "../../../shared/switchboard/index.ts";
import type { OriginApp } from "../context.ts";
import { originSwitches } from "../switches.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
// Per isolate: counting here costs nothing; any isolate that trips sets the one global switch.
let counter: WriteFailureTrip | null = null;

function tripCounter(config: OriginConfig): WriteFailureTrip {
  counter ??= createWriteFailureTrip({
    threshold: config.AUTO_READ_ONLY_FAILURES,
    windowMs: config.AUTO_READ_ONLY_WINDOW_MS,
  });
  return counter;
}

/**
 * Called once per request: by the database middleware after a write committed (`error` undefined), and by the
 * app's onError for a failure, including a request that ran out of time while a write still waited on the primary
 * (hono's onError may run again for the same request when that write fails later: counted once).
 */
export function recordWrite(c: Context<OriginApp>, error: unknown): void {
  const config = c.get("config");
  if (!config || config.AUTO_READ_ONLY === "off" || c.get("writeRecorded")) return;
  const outcome = writeOutcome(error, {
    unsafe: !SAFE.has(c.req.method),
    askedReadOnly: c.get("readOnlyAsked") ?? false,
    wrote: c.get("wrote") ?? false,
    writing: c.get("db")?.writing() ?? false,
  });
  if (outcome === null) return;
  c.set("writeRecorded", true);
  if (!tripCounter(config).record(outcome) || outcome === "ok") return;
  c.executionCtx.waitUntil(trip(config, outcome, error));
}

async function trip(
  config: OriginConfig,
  outcome: Exclude<WriteOutcome, "ok">,
  error: unknown,
): Promise<void> {
  const detail =
    outcome === "refused"
      ? "a write was refused as a read-only transaction (SQLSTATE 25006) that nobody asked for"
      : `${config.AUTO_READ_ONLY_FAILURES} writes within ${config.AUTO_READ_ONLY_WINDOW_MS} ms got no answer ` +
        `from the primary (last: ${error instanceof Error ? error.name : "error"})`;
  try {
    const answer = await callBoard(
      config.bindings.SWITCHBOARD,
      (b) => b.trip({ reason: AUTO_REASONS[outcome], detail, retryAfter: AUTO_RETRY_AFTER_S }),
      OBJECT_WRITE_TIMEOUT_MS,
    );
    // This isolate refuses writes at once; the others see it within their switch memory.
    originSwitches(config).set(answer.switches);
    log.warn("readonly.trip_requested", { outcome, detail, tripped: answer.tripped });
  } catch (failure) {
    // Without the switchboard there is no global switch to set: writes keep getting 503s until the primary is back.
    log.error("readonly.trip_failed", { outcome, detail, error: String(failure) });
  }
}
