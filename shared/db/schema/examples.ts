// The example site's tables (events, talks, topics, registrations, comments, uploads, search words): replace them in a fork.
import { relations } from "drizzle-orm";
import {
  bigint,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, users } from "./platform.ts";

// Full-text search documents: filled by triggers in the database (migrations 0007+), never written by the app.
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

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
