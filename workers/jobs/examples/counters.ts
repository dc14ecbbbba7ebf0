// Drains talk views from Redis into Postgres: one UPDATE per flush, applied exactly once per batch.

import type { Redis } from "@upstash/redis/cloudflare";
import { sql } from "drizzle-orm";
import type { NeonHttpDatabase } from "drizzle-orm/neon-http";
import { addCountsSql, createCounters } from "../../../shared/counters/index.ts";
import { type Schema, talks } from "../../../shared/db/index.ts";
import { log } from "../../../shared/log/index.ts";

export const TALK_VIEWS = "talk-views";

export function drainTalkViews(db: NeonHttpDatabase<Schema>, redis: Redis | null) {
  const counters = createCounters(redis);
  return async () => {
    const result = await counters.drain(TALK_VIEWS, async (counts, batchId) => {
      const update = addCountsSql(talks, talks.id, talks.views, counts);
      if (!update) return;
      // The ledger row and the update commit together, so a retried batch (same id) is applied once.
      await db.execute(sql`with claim as (
          insert into job_ledger (job_id, name) values (${`counters:${batchId}`}, ${TALK_VIEWS})
          on conflict do nothing returning 1
        ) ${update} and exists (select 1 from claim)`);
    });
    log.info("counters flushed", { counter: TALK_VIEWS, ...result });
  };
}
