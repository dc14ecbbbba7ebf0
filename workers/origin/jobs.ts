// Jobs that follow a write: built here, staged in the write's transaction, relayed to the queue after the response.
import type { Context } from "hono";
import { createPrimaryDb, QueryLog, type RywToken } from "../../shared/db/index.ts";
import { type RelayFault, relayStaged } from "../../shared/jobs/index.ts";
import { log } from "../../shared/log/index.ts";
import type { OriginApp } from "./context.ts";

const FAULTS: readonly string[] = ["before-send", "after-send"] satisfies RelayFault[];

/** The write has committed its job rows; send them now, in the background. A relay that never runs is swept. */
export function relayAfterCommit(c: Context<OriginApp>, ids: string[], token: RywToken | null): void {
  const config = c.get("config");
  // Test hook: the relay fails at the point the header names. Compiled out of deployed bundles.
  const fault =
    globalThis.__TEST_HOOKS__ && config.TEST_HOOKS
      ? askedFault(c.req.header("x-test-relay-fault"))
      : undefined;
  // Its own client and log: the relay runs after the response and is not part of the page's query budget.
  const db = createPrimaryDb({
    url: config.DATABASE_URL,
    timeoutMs: config.DB_TIMEOUT_MS,
    accounting: new QueryLog(),
  });
  c.executionCtx.waitUntil(
    relayStaged({
      db,
      queue: c.env.JOBS,
      ids,
      token,
      ...(fault ? { fault } : {}),
    }).catch((error: unknown) => log.warn("outbox relay failed; the sweep will send", { ids, error })),
  );
}

/** The relay fault a test asked for, if it names one. */
function askedFault(asked: string | undefined): RelayFault | undefined {
  return asked && FAULTS.includes(asked) ? (asked as RelayFault) : undefined;
}
