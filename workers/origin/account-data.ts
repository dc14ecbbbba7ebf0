// What the site keeps about a person, to hand over (export) or remove (delete), as docs/privacy.md describes.
import { desc, eq, sql } from "drizzle-orm";
import type { Db, WsTx } from "../../shared/db/index.ts";
import {
  comments,
  events,
  exposures,
  registrations,
  sessions,
  talks,
  uploads,
  users,
} from "../../shared/db/index.ts";
import type { Envelope } from "../../shared/jobs/index.ts";
import { stageJob } from "../../shared/jobs/index.ts";
import { useUserCode } from "../../shared/signin/index.ts";

/** Everything stored about the user, as JSON. Session ids are not included (only their hashes are stored). */
export async function exportAccount(db: Db, userId: number) {
  const p = db.primary;
  const [user] = await p
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      tags: users.tags,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return null;
  const [regs, mine, files, signIns, seen] = await Promise.all([
    p
      .select({
        event: events.slug,
        name: registrations.name,
        email: registrations.email,
        at: registrations.createdAt,
      })
      .from(registrations)
      .innerJoin(events, eq(events.id, registrations.eventId))
      .where(eq(registrations.email, user.email)),
    p
      .select({ talk: talks.slug, body: comments.body, at: comments.createdAt })
      .from(comments)
      .innerJoin(talks, eq(talks.id, comments.talkId))
      .where(eq(comments.authorId, userId))
      .orderBy(desc(comments.createdAt)),
    p
      .select({
        key: uploads.key,
        contentType: uploads.contentType,
        size: uploads.size,
        status: uploads.status,
        at: uploads.createdAt,
      })
      .from(uploads)
      .where(eq(uploads.ownerId, userId)),
    p
      .select({ createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.userId, userId)),
    p
      .select({ flag: exposures.flag, variant: exposures.variant, firstSeen: exposures.firstSeen })
      .from(exposures)
      .where(eq(exposures.subject, String(userId))),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    user,
    registrations: regs,
    comments: mine,
    uploads: files,
    sessions: signIns,
    experiments: seen,
  };
}

export type Deleted = { sessionKeys: string[]; eventIds: number[]; talkIds: number[] };

/**
 * Deletes the account if the code is still good, in one transaction: registrations deleted (event counts
 * corrected), comments kept but anonymised, exposures deleted, the user row deleted (sessions, codes and upload
 * rows go with it), and a job staged to erase the files from R2. Null when the code was no longer good.
 */
export async function deleteAccount(
  db: Db,
  o: { userId: number; challengeId: string; eraseFiles: Envelope },
): Promise<Deleted | null> {
  const { result } = await db.transaction(async (tx: WsTx) => {
    const used = await tx.execute(useUserCode(o.challengeId, o.userId));
    if (used.rows.length === 0) return null;
    const keys = await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, o.userId));
    const regs = await tx.execute<{ event_id: number }>(sql`
      with gone as (
        delete from ${registrations} where email = (select email from ${users} where id = ${o.userId})
        returning event_id
      ),
      counted as (
        update ${events} e set registrations_count = greatest(0, e.registrations_count - g.n)
        from (select event_id, count(*)::int as n from gone group by event_id) g where e.id = g.event_id
      )
      select distinct event_id from gone`);
    const talked = await tx.execute<{ talk_id: number }>(sql`
      update ${comments} set author_id = null, author = 'a former member'
      where author_id = ${o.userId} returning talk_id`);
    await tx.delete(exposures).where(eq(exposures.subject, String(o.userId)));
    await tx.execute(stageJob(o.eraseFiles));
    await tx.delete(users).where(eq(users.id, o.userId));
    return {
      sessionKeys: keys.map((k) => k.id),
      eventIds: regs.rows.map((r) => Number(r.event_id)),
      talkIds: [...new Set(talked.rows.map((r) => Number(r.talk_id)))],
    };
  });
  return result;
}
