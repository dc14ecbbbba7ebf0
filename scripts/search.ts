// `npm run search -- rebuild`: search documents backfilled, vocabulary refreshed, Redis facet sets rebuilt.
import { pathToFileURL } from "node:url";
import { redactUrl, resolveDatabaseUrl, STACK_FILE } from "./db/database-url.ts";
import { facetRedis, rebuildSearchIndex, resolveRedis } from "./db/search-index.ts";

const USAGE = `usage: npm run search -- rebuild

  Fills missing search documents (in batches), refreshes the "did you mean" vocabulary, then rewrites
  every Redis facet set from Postgres.
  Database: DIRECT_DATABASE_URL, DATABASE_URL, or the local stack (${STACK_FILE}).
  Redis:    UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN, or the local stack; without one, only the
            documents are filled (search then filters facets in SQL).`;

async function main(argv: string[]): Promise<void> {
  if (argv[0] !== "rebuild" || argv.length > 1) {
    console.error(USAGE);
    process.exitCode = argv[0] === "--help" ? 0 : 1;
    return;
  }
  const { url, source } = resolveDatabaseUrl();
  const redis = resolveRedis(process.env);
  console.log(`database ${redactUrl(url)} (from ${source})`);
  console.log(
    redis ? `redis    ${new URL(redis.url).host} (from ${redis.source})` : "redis    none configured",
  );
  const report = await rebuildSearchIndex({
    databaseUrl: url,
    redis: redis ? facetRedis(redis.url, redis.token) : null,
    log: (line) => console.log(`  ${line}`),
  });
  const docs = Object.entries(report.backfilled)
    .map(([t, n]) => `${n} ${t}`)
    .join(", ");
  const sets = report.facets
    ? `${report.facets.sets} facet sets (${report.facets.members} members), ${report.facets.deleted} stale deleted`
    : "no facet sets (no Redis)";
  console.log(
    `search index rebuilt in ${report.ms} ms: documents filled for ${docs}; ${report.words} words; ${sets}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`search rebuild failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
