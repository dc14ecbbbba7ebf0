// The platform's tables: users and sessions, sign-in codes, jobs, flags, exposures, grouped errors, the dev mailbox.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  // Tags drive flag targeting (staff, beta, speaker…).
  tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
});

// The id in the browser's cookie is never stored: `id` is its SHA-256 (shared/identity/session.ts).
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    // The seed's fixed sessions: honoured only by a Worker whose ENVIRONMENT is local.
    dev: boolean("dev").notNull().default(false),
  },
  (t) => [index("sessions_user").on(t.userId), index("sessions_expires").on(t.expiresAt)],
);

// One-time codes sent by email (sign-in, and confirming an export or a deletion); only a keyed hash is stored.
export const signinCodes = pgTable(
  "signin_codes",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    purpose: text("purpose").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [
    index("signin_codes_email").on(t.email, t.purpose, t.createdAt),
    index("signin_codes_expires").on(t.expiresAt),
  ],
);

// Local development's mail: the dev mailbox transport writes here and /_dev/mail shows it. Never used in production.
export const devMailbox = pgTable("dev_mailbox", {
  // The sending job's id: a retried job writes its mail once.
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  recipient: text("recipient").notNull(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  createdAt: createdAt(),
});

// The transactional job outbox: a job row is written in the same transaction as the change it follows, relayed to
// the queue after commit, and swept later if that relay never ran. Rows are deleted once sent.
export const jobOutbox = pgTable(
  "job_outbox",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    envelope: jsonb("envelope").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    // The relay after commit goes first; the sweep only takes rows still here after this.
    availableAt: timestamp("available_at", { withTimezone: true })
      .notNull()
      .default(sql`now() + interval '15 seconds'`),
  },
  (t) => [index("job_outbox_available").on(t.availableAt)],
);

// Idempotency ledger: a job id recorded here has had its side effect; redelivery skips it.
export const jobLedger = pgTable("job_ledger", {
  jobId: text("job_id").primaryKey(),
  name: text("name").notNull(),
  completedAt: timestamp("completed_at", { withTimezone: true }).notNull().defaultNow(),
});

export const deadJobs = pgTable("dead_jobs", {
  id: serial("id").primaryKey(),
  jobId: text("job_id").notNull().unique(),
  name: text("name").notNull(),
  payload: jsonb("payload").notNull(),
  error: text("error").notNull(),
  attempts: integer("attempts").notNull(),
  failedAt: timestamp("failed_at", { withTimezone: true }).notNull().defaultNow(),
  rerunAt: timestamp("rerun_at", { withTimezone: true }),
  // The request that enqueued the job: quoted by a user, found in the logs and the error tracker.
  requestId: text("request_id"),
});

// Feature flags: the source of truth; the edge reads a published snapshot from KV.
export const flags = pgTable("flags", {
  key: text("key").primaryKey(),
  doc: jsonb("doc").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});

export const flagAudit = pgTable("flag_audit", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  key: text("key").notNull(),
  actor: text("actor").notNull(),
  before: jsonb("before"),
  after: jsonb("after"),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});

export const exposures = pgTable(
  "exposures",
  {
    flag: text("flag").notNull(),
    variant: text("variant").notNull(),
    subject: text("subject").notNull(),
    firstSeen: timestamp("first_seen", { withTimezone: true }).notNull().defaultNow(),
  },
  // One row per subject and flag: exposure analysis needs who saw what, not every page view.
  (t) => [primaryKey({ columns: [t.flag, t.subject] })],
);

// Errors grouped by fingerprint (type + top frames): one row per kind of failure, not one per occurrence.
export const errorGroups = pgTable(
  "error_groups",
  {
    fingerprint: text("fingerprint").primaryKey(),
    worker: text("worker").notNull(),
    type: text("type").notNull(),
    message: text("message").notNull(),
    count: bigint("count", { mode: "number" }).notNull().default(0),
    firstSeen: timestamp("first_seen", { withTimezone: true }).notNull().defaultNow(),
    lastSeen: timestamp("last_seen", { withTimezone: true }).notNull().defaultNow(),
    lastRequestId: text("last_request_id"),
    stack: text("stack").notNull(),
  },
  (t) => [index("error_groups_last_seen").on(t.lastSeen)],
);
