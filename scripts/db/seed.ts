// Loads the example data into a database; safe to run again (existing rows are left alone). With --corpus, also
// the generated search corpus (2,000 events, 50,000 talks), then rebuilds the search index. The users' fixed dev
// sessions go only into the local stack's database (and Workers honour them only where ENVIRONMENT is local).

import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { events, sessions, talks, talkTopics, topics, users } from "../../shared/db/index.ts";
import { sessionKey } from "../../shared/identity/index.ts";
import { SITE } from "../../shared/site/index.ts";
import { redactUrl, resolveDatabaseUrl, STACK_FILE } from "./database-url.ts";
import { FULL_CORPUS, generateCorpus, loadCorpus } from "./examples/corpus.ts";
import { SEED_SESSION_EXPIRY, seedEvents, seedTalks, seedTopics, seedUsers } from "./examples/seed-data.ts";
import { facetRedis, rebuildSearchIndex, resolveRedis } from "./search-index.ts";

export interface SeedResult {
  /** Rows inserted by this run (0 everywhere on a re-run). */
  inserted: { events: number; talks: number; topics: number; users: number; sessions: number };
}

export async function seed(url: string, opts: { devSessions: boolean }): Promise<SeedResult> {
  const client = new pg.Client({ connectionString: url, application_name: `${SITE.name}-seed` });
  await client.connect();
  try {
    const db = drizzle(client);
    return await db.transaction(async (tx) => {
      const ev = await tx
        .insert(events)
        .values(seedEvents)
        .onConflictDoNothing()
        .returning({ id: events.id });
      const eventRows = await tx
        .select({ id: events.id, slug: events.slug })
        .from(events)
        .where(inArray(events.slug, Object.keys(seedTalks)));
      const talkRows = eventRows.flatMap((e) =>
        (seedTalks[e.slug] ?? []).map(({ topics: _, ...t }) => ({ ...t, eventId: e.id })),
      );
      const tk = await tx.insert(talks).values(talkRows).onConflictDoNothing().returning({ id: talks.id });

      const tp = await tx
        .insert(topics)
        .values(seedTopics)
        .onConflictDoNothing()
        .returning({ id: topics.id });
      const topicRows = await tx.select({ id: topics.id, slug: topics.slug }).from(topics);
      const seededTalks = await tx
        .select({ id: talks.id, eventId: talks.eventId, slug: talks.slug })
        .from(talks)
        .where(
          inArray(
            talks.eventId,
            eventRows.map((e) => e.id),
          ),
        );
      const tagged = eventRows.flatMap((e) =>
        (seedTalks[e.slug] ?? []).flatMap((t) => {
          const talk = seededTalks.find((r) => r.eventId === e.id && r.slug === t.slug);
          return t.topics.flatMap((slug) => {
            const topic = topicRows.find((r) => r.slug === slug);
            return talk && topic ? [{ talkId: talk.id, topicId: topic.id }] : [];
          });
        }),
      );
      if (tagged.length > 0) await tx.insert(talkTopics).values(tagged).onConflictDoNothing();

      const us = await tx
        .insert(users)
        .values(seedUsers.map(({ email, name, tags }) => ({ email, name, tags })))
        .onConflictDoNothing()
        .returning({ id: users.id });
      const userRows = await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(
          inArray(
            users.email,
            seedUsers.map((u) => u.email),
          ),
        );
      const sessionRows = opts.devSessions
        ? await Promise.all(
            seedUsers.flatMap((u) => {
              const row = userRows.find((r) => r.email === u.email);
              return row
                ? [
                    sessionKey(u.session).then((id) => ({
                      id,
                      userId: row.id,
                      expiresAt: SEED_SESSION_EXPIRY,
                      dev: true,
                    })),
                  ]
                : [];
            }),
          )
        : [];
      const se =
        sessionRows.length === 0
          ? []
          : await tx
              .insert(sessions)
              .values(sessionRows)
              .onConflictDoNothing()
              .returning({ id: sessions.id });
      return {
        inserted: {
          events: ev.length,
          talks: tk.length,
          topics: tp.length,
          users: us.length,
          sessions: se.length,
        },
      };
    });
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const run = async () => {
    const { values } = parseArgs({ options: { corpus: { type: "boolean", default: false } } });
    const { url, source } = resolveDatabaseUrl();
    // A database named by an env URL may be anyone's (staging, production): it never gets sign-in shortcuts.
    const { inserted } = await seed(url, { devSessions: source === STACK_FILE });
    const counts = Object.entries(inserted)
      .map(([k, n]) => `${n} ${k}`)
      .join(", ");
    console.log(`seeded ${redactUrl(url)} (from ${source}): inserted ${counts}`);
    if (!values.corpus) return;
    const size = FULL_CORPUS;
    console.log(`corpus: generating ${size.events} events, ${size.talks} talks, ${size.speakers} speakers…`);
    const loaded = await loadCorpus(url, generateCorpus(size), (line) => console.log(`corpus: ${line}`));
    console.log(
      loaded.skipped
        ? `corpus: already loaded (${loaded.events} corpus events), nothing inserted`
        : `corpus: loaded in ${(loaded.ms / 1000).toFixed(1)} s`,
    );
    const redis = resolveRedis(process.env);
    const index = await rebuildSearchIndex({
      databaseUrl: url,
      redis: redis ? facetRedis(redis.url, redis.token) : null,
      log: (line) => console.log(`search: ${line}`),
    });
    console.log(
      index.facets
        ? `search: ${index.facets.sets} facet sets rebuilt in ${index.ms} ms`
        : "search: no Redis configured; facet sets are built by the next `npm run dev` (or `npm run search -- rebuild`)",
    );
  };
  run().catch((e: unknown) => {
    console.error(`db:seed failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
