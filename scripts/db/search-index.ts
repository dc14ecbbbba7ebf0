// Rebuilds the search index from Postgres: fills missing search documents in batches (the backfill), refreshes
// the "did you mean" vocabulary, then rewrites every Redis facet set. Run by `npm run search -- rebuild`, and by the local stack at start (its
// Redis keeps nothing across restarts).

import { existsSync, readFileSync } from "node:fs";
import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import { redisClient } from "../../shared/datacache/index.ts";
import {
  BACKFILL_TABLES,
  backfillSearchBatch,
  type Rows,
  refreshSearchWords,
  siteFacetSource,
} from "../../shared/search/examples/index.ts";
import { type RebuildReport, rebuildFacetSets, type SetWriter } from "../../shared/search/index.ts";
import { SITE } from "../../shared/site/index.ts";
import { STACK_FILE } from "./database-url.ts";

export type SearchIndexReport = {
  backfilled: Record<string, number>;
  /** Words in the "did you mean" vocabulary. */
  words: number;
  /** null: no Redis, so no sets (search filters facets in SQL). */
  facets: RebuildReport | null;
  ms: number;
};

const dialect = new PgDialect();

/** Upstash REST URL and token: the environment first, then the local stack's proxy. */
export function resolveRedis(
  env: Record<string, string | undefined>,
  stackFile = STACK_FILE,
): { url: string; token: string; source: string } | null {
  if (env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
    return {
      url: env.UPSTASH_REDIS_REST_URL,
      token: env.UPSTASH_REDIS_REST_TOKEN,
      source: "UPSTASH_REDIS_REST_URL",
    };
  }
  if (!existsSync(stackFile)) return null;
  const stack = JSON.parse(readFileSync(stackFile, "utf8")) as {
    upstashUrl?: unknown;
    upstashToken?: unknown;
  };
  return typeof stack.upstashUrl === "string" && typeof stack.upstashToken === "string"
    ? { url: stack.upstashUrl, token: stack.upstashToken, source: stackFile }
    : null;
}

function pgRows(client: pg.Client): Rows {
  return async <T>(query: SQL) => {
    const q = dialect.sqlToQuery(query);
    return (await client.query(q.sql, q.params)).rows as T[];
  };
}

/** Upstash's REST client for a URL and token (the local stack's proxy, or Upstash itself). */
export function facetRedis(url: string, token: string): SetWriter {
  const redis = redisClient(url, token);
  if (!redis) throw new Error("facetRedis needs a Redis URL and token");
  return redis;
}

export async function rebuildSearchIndex(opts: {
  databaseUrl: string;
  redis: SetWriter | null;
  log?: (line: string) => void;
  /** Rows per backfill statement. */
  batch?: number;
}): Promise<SearchIndexReport> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const client = new pg.Client({
    connectionString: opts.databaseUrl,
    application_name: `${SITE.name}-search`,
  });
  await client.connect();
  try {
    const rows = pgRows(client);
    const backfilled: Record<string, number> = {};
    for (const table of BACKFILL_TABLES) {
      let lastId = 0;
      let updated = 0;
      // Each batch is its own statement (autocommit): short row locks, and replicas keep up.
      for (;;) {
        const [r] = await rows<{ last_id: number | null; updated: number }>(
          backfillSearchBatch(table, lastId, opts.batch ?? 2_000),
        );
        updated += r?.updated ?? 0;
        if (r?.last_id == null) break;
        lastId = r.last_id;
      }
      backfilled[table] = updated;
      if (updated > 0) log(`backfill: ${updated} ${table} had no search document`);
    }
    const [left] = await rows<{ n: number }>(
      sql`select (select count(*) from events where search_vector is null)
        + (select count(*) from talks where search_vector is null) as n`,
    );
    if (Number(left?.n ?? 0) > 0) throw new Error(`${left?.n} rows still have no search document`);
    const [vocabulary] = await rows<{ words: number }>(refreshSearchWords());
    log(`words: ${vocabulary?.words ?? 0} in the "did you mean" vocabulary`);
    const facets = opts.redis
      ? await rebuildFacetSets(siteFacetSource(rows), opts.redis, { progress: (l) => log(`facets: ${l}`) })
      : null;
    return { backfilled, words: vocabulary?.words ?? 0, facets, ms: Date.now() - started };
  } finally {
    await client.end();
  }
}
