// The example site's tables (drizzle): events, talks, registrations, comments, users, and the platform's own.
import { relations, sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

// Full-text search documents: filled by triggers in the database (migrations 0007+), never written by the app.
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

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

export const events = pgTable(
  "events",
  {
    id: serial("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    venue: text("venue").notNull(),
    description: text("description").notNull().default(""),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    // Expand/contract example (docs/migrations.md): added nullable (0001), backfilled by a job, then a
    // NOT VALID check (0002) validated before SET NOT NULL (0003), so no step holds a long exclusive lock.
    city: text("city").notNull(),
    // Denormalised and maintained atomically (SET n = n + 1), never read-modify-write.
    registrationsCount: integer("registrations_count").notNull().default(0),
    // Optimistic concurrency: an edit states the version it read.
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    // Kept by a trigger (name, venue, city, description); NULL only on rows older than the trigger until the
    // search backfill reaches them (`npm run search -- rebuild`).
    searchVector: tsvector("search_vector"),
  },
  // Built CONCURRENTLY in its own migration (0008): the table stays writable while it builds.
  (t) => [index("events_search").using("gin", t.searchVector)],
);

export const talks = pgTable(
  "talks",
  {
    id: serial("id").primaryKey(),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    speaker: text("speaker").notNull(),
    abstract: text("abstract").notNull().default(""),
    // Flushed from Redis counters in batches by a scheduled job.
    views: bigint("views", { mode: "number" }).notNull().default(0),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    // Kept by triggers on talks and events (title, speaker, abstract, and the event's name, venue, city).
    searchVector: tsvector("search_vector"),
  },
  (t) => [
    uniqueIndex("talks_event_slug").on(t.eventId, t.slug),
    // Built CONCURRENTLY in its own migration (0009), like events_search.
    index("talks_search").using("gin", t.searchVector),
  ],
);

export const topics = pgTable("topics", {
  id: serial("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
});

export const talkTopics = pgTable(
  "talk_topics",
  {
    talkId: integer("talk_id")
      .notNull()
      .references(() => talks.id, { onDelete: "cascade" }),
    topicId: integer("topic_id")
      .notNull()
      .references(() => topics.id, { onDelete: "cascade" }),
  },
  // The key answers "topics of a talk"; the index "talks of a topic" (facet filters and the facet-set rebuild).
  (t) => [primaryKey({ columns: [t.talkId, t.topicId] }), index("talk_topics_topic").on(t.topicId, t.talkId)],
);

export const registrations = pgTable(
  "registrations",
  {
    id: serial("id").primaryKey(),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    email: text("email").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("registrations_event_email").on(t.eventId, t.email)],
);

export const comments = pgTable(
  "comments",
  {
    id: serial("id").primaryKey(),
    talkId: integer("talk_id")
      .notNull()
      .references(() => talks.id, { onDelete: "cascade" }),
    author: text("author").notNull(),
    // Who wrote it: deleting the account keeps the comment, anonymised (author_id null, author "a former member").
    authorId: integer("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    // Sent by the page's script with each submission: a retried post (after a timeout) is saved once.
    idempotencyKey: text("idempotency_key"),
    createdAt: createdAt(),
  },
  (t) => [index("comments_talk").on(t.talkId), uniqueIndex("comments_idempotency_key").on(t.idempotencyKey)],
);

// The words of titles and names as typed, for "did you mean" (trigram similarity); refreshed from the search
// documents by `npm run search -- rebuild`, never written by requests.
export const searchWords = pgTable(
  "search_words",
  {
    word: text("word").primaryKey(),
    docs: integer("docs").notNull(),
  },
  (t) => [index("search_words_trgm").using("gin", t.word.op("gin_trgm_ops"))],
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

export const uploads = pgTable("uploads", {
  id: serial("id").primaryKey(),
  key: text("key").notNull().unique(),
  ownerId: integer("owner_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  eventId: integer("event_id").references(() => events.id, { onDelete: "set null" }),
  contentType: text("content_type").notNull(),
  size: integer("size"),
  width: integer("width"),
  height: integer("height"),
  status: text("status").notNull().default("pending"),
  createdAt: createdAt(),
  processedAt: timestamp("processed_at", { withTimezone: true }),
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

// Relations let the relational query builder fetch a page's graph in one SQL statement (one round trip).
export const eventsRelations = relations(events, ({ many }) => ({
  talks: many(talks),
  uploads: many(uploads),
}));
export const uploadsRelations = relations(uploads, ({ one }) => ({
  event: one(events, { fields: [uploads.eventId], references: [events.id] }),
}));
export const talksRelations = relations(talks, ({ one, many }) => ({
  event: one(events, { fields: [talks.eventId], references: [events.id] }),
  comments: many(comments),
  topics: many(talkTopics),
}));
export const talkTopicsRelations = relations(talkTopics, ({ one }) => ({
  talk: one(talks, { fields: [talkTopics.talkId], references: [talks.id] }),
  topic: one(topics, { fields: [talkTopics.topicId], references: [topics.id] }),
}));
export const commentsRelations = relations(comments, ({ one }) => ({
  talk: one(talks, { fields: [comments.talkId], references: [talks.id] }),
}));

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
