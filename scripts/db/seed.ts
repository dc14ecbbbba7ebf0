// Loads the example data into a database; safe to run again (existing rows are left alone).

import { pathToFileURL } from "node:url";
import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { events, sessions, talks, users } from "../../shared/db/schema.ts";
import { redactUrl, resolveDatabaseUrl } from "./database-url.ts";
import { SEED_SESSION_EXPIRY, seedEvents, seedTalks, seedUsers } from "./seed-data.ts";

export interface SeedResult {
  /** Rows inserted by this run (0 everywhere on a re-run). */
  inserted: { events: number; talks: number; users: number; sessions: number };
}

export async function seed(url: string): Promise<SeedResult> {
  const client = new pg.Client({ connectionString: url, application_name: "edgeplate-seed" });
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
        (seedTalks[e.slug] ?? []).map((t) => ({ ...t, eventId: e.id })),
      );
      const tk = await tx.insert(talks).values(talkRows).onConflictDoNothing().returning({ id: talks.id });

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
      const sessionRows = seedUsers.flatMap((u) => {
        const row = userRows.find((r) => r.email === u.email);
        return row ? [{ id: u.session, userId: row.id, expiresAt: SEED_SESSION_EXPIRY }] : [];
      });
      const se = await tx
        .insert(sessions)
        .values(sessionRows)
        .onConflictDoNothing()
        .returning({ id: sessions.id });
      return { inserted: { events: ev.length, talks: tk.length, users: us.length, sessions: se.length } };
    });
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const run = async () => {
    const { url, source } = resolveDatabaseUrl();
    const { inserted } = await seed(url);
    const counts = Object.entries(inserted)
      .map(([k, n]) => `${n} ${k}`)
      .join(", ");
    console.log(`seeded ${redactUrl(url)} (from ${source}): inserted ${counts}`);
  };
  run().catch((e: unknown) => {
    console.error(`db:seed failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
