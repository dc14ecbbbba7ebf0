// The dev mailbox in Postgres: where the local transport puts mail, and what /_dev/mail lists (newest first).
import { desc } from "drizzle-orm";
import { devMailbox } from "../db/index.ts";
import type { PgDb } from "../jobs/index.ts";
import type { Mailbox } from "./index.ts";

export function pgMailbox(db: PgDb): Mailbox {
  return {
    async put(email) {
      // By the sending job's id: a retried job finds its mail already there.
      await db
        .insert(devMailbox)
        .values({
          id: email.id,
          kind: email.kind,
          recipient: email.to,
          subject: email.subject,
          body: email.text,
        })
        .onConflictDoNothing({ target: devMailbox.id });
    },
  };
}

export type MailboxRow = typeof devMailbox.$inferSelect;

export async function listMailbox(db: PgDb, limit = 50): Promise<MailboxRow[]> {
  return db.select().from(devMailbox).orderBy(desc(devMailbox.createdAt)).limit(limit);
}
