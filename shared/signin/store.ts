// Codes and sessions in Postgres: stage a code with its email job, judge a guess, turn a right one into a session.
// Every change is one statement (or one batch), so two guesses at once can never both use a code.
import { type SQL, sql } from "drizzle-orm";
import type { HttpDb } from "../db/index.ts";
import { sessions, signinCodes, users } from "../db/index.ts";
import { type Challenge, type Purpose, SIGN_IN } from "./policy.ts";

export type NewChallenge = {
  id: string;
  email: string;
  purpose: Purpose;
  /** Export and delete codes belong to the signed-in user; sign-in codes to whoever owns the address. */
  userId: number | null;
  hash: string;
  expiresAt: Date;
};

/**
 * One statement: the code row and its email job, unless the address has had its hour's share of codes (counted
 * here, so the limit holds with Redis down too). Older live codes for the same purpose die: only the newest
 * works. `stageJob` builds the job's INSERT with the condition it is given. Returns rows `{ staged }`.
 */
export function stageChallenge(c: NewChallenge, stageJob: (when: SQL) => SQL): SQL {
  const max = SIGN_IN.perEmail.requests;
  return sql`
    with recent as (
      select count(*) as n from ${signinCodes}
      where email = ${c.email} and created_at > now() - interval '1 hour'
    ),
    retired as (
      update ${signinCodes} set used_at = now()
      where email = ${c.email} and purpose = ${c.purpose} and used_at is null and (select n from recent) < ${max}
      returning id
    ),
    ins as (
      insert into ${signinCodes} (id, email, purpose, user_id, code_hash, expires_at)
      select ${c.id}, ${c.email}, ${c.purpose}, ${c.userId}, ${c.hash}, ${c.expiresAt.toISOString()}
      where (select n from recent) < ${max}
      returning id
    ),
    job as (${stageJob(sql`(select n from recent) < ${max}`)})
    select exists (select 1 from ins) as staged`;
}

export type StoredChallenge = Challenge & { id: string; hash: string; userId: number | null };

/** The newest live code for an address and purpose, read on the primary (it was written a moment ago). */
export async function newestChallenge(
  db: HttpDb,
  email: string,
  purpose: Purpose,
): Promise<StoredChallenge | undefined> {
  const rows = await db
    .select({
      id: signinCodes.id,
      hash: signinCodes.codeHash,
      attempts: signinCodes.attempts,
      expiresAt: signinCodes.expiresAt,
      usedAt: signinCodes.usedAt,
      userId: signinCodes.userId,
    })
    .from(signinCodes)
    .where(
      sql`${signinCodes.email} = ${email} and ${signinCodes.purpose} = ${purpose} and ${signinCodes.usedAt} is null`,
    )
    .orderBy(sql`${signinCodes.createdAt} desc`)
    .limit(1);
  return rows[0];
}

/** A wrong guess: returns the attempts now counted (the caller tells the person when the code is dead). */
export async function countWrongGuess(db: HttpDb, id: string): Promise<number> {
  const rows = await db
    .update(signinCodes)
    .set({ attempts: sql`${signinCodes.attempts} + 1` })
    .where(sql`${signinCodes.id} = ${id} and ${signinCodes.usedAt} is null`)
    .returning({ attempts: signinCodes.attempts });
  return rows[0]?.attempts ?? SIGN_IN.maxAttempts;
}

/** The only way a code becomes used, and only while it is still good: the guard every action below shares. */
function use(id: string): SQL {
  return sql`update ${signinCodes} set used_at = now()
    where id = ${id} and used_at is null and attempts < ${SIGN_IN.maxAttempts} and expires_at > now()
    returning email, user_id`;
}

export type SignedIn = { userId: number; created: boolean };

/**
 * Right code → the account (created for a new address) and a new session, in one statement. The session the
 * browser had before is ended in the same statement: a sign-in always gets a fresh id (no session fixation).
 */
export async function signInWithCode(
  db: HttpDb,
  o: { challengeId: string; sessionKey: string; expiresAt: Date; previousKey: string | null },
): Promise<SignedIn | null> {
  const result = await db.execute<{ user_id: number; created: boolean }>(sql`
    with used as (${use(o.challengeId)}),
    account as (
      insert into ${users} (email, name) select email, split_part(email, '@', 1) from used
      on conflict (email) do update set email = excluded.email
      returning id, (xmax = 0) as created
    ),
    ended as (delete from ${sessions} where id = ${o.previousKey ?? ""} and exists (select 1 from used)),
    started as (
      insert into ${sessions} (id, user_id, expires_at) select ${o.sessionKey}, id, ${o.expiresAt.toISOString()}
      from account returning user_id
    )
    select s.user_id, a.created from started s join account a on a.id = s.user_id`);
  const row = result.rows[0];
  return row ? { userId: Number(row.user_id), created: Boolean(row.created) } : null;
}

/** Uses an export or delete code of this user; true when it was still good. */
export function useUserCode(challengeId: string, userId: number): SQL {
  return sql`update ${signinCodes} set used_at = now()
    where id = ${challengeId} and user_id = ${userId} and used_at is null
      and attempts < ${SIGN_IN.maxAttempts} and expires_at > now()
    returning id`;
}

/** Sign-out: the session row goes; the caller tells the edge. */
export async function endSession(db: HttpDb, key: string): Promise<void> {
  await db.delete(sessions).where(sql`${sessions.id} = ${key}`);
}
