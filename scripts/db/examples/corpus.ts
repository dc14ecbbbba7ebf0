// The search corpus: events, talks, speakers, topics and registrations generated from a fixed seed, and loaded
// in batches (`npm run db:seed -- --corpus`). Benches and trying search at scale use it; tests never do.

import pg from "pg";
import { SITE } from "../../../shared/site/index.ts";
import {
  CITIES,
  EVENT_KINDS,
  FILLER_WORDS,
  FIRST_NAMES,
  GLUE,
  LAST_NAMES,
  SYLLABLES,
  TECH_WORDS,
  VENUE_KINDS,
} from "./corpus-words.ts";
import { seedTopics } from "./seed-data.ts";

export type CorpusSize = { events: number; talks: number; speakers: number; users: number };
export const FULL_CORPUS: CorpusSize = { events: 2_000, talks: 50_000, speakers: 20_000, users: 5_000 };
/** Every corpus event's slug starts with this: how a second run knows the corpus is there. */
export const CORPUS_SLUG = "corpus-";

/** mulberry32: small, fast, and the same sequence on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws an index 0..n-1 with probability ∝ 1/(rank + 1 + offset)^s: a few common, a long tail of rare ones;
 * the offset flattens the head (without it the first word would be in nearly every document).
 */
export function zipf(n: number, s: number, random: () => number, offset = 0): () => number {
  const cdf: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / (i + 1 + offset) ** s;
    cdf.push(total);
  }
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] ?? total) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export type CorpusEvent = {
  slug: string;
  name: string;
  venue: string;
  city: string;
  description: string;
  startsAt: Date;
};
export type CorpusTalk = {
  event: number;
  slug: string;
  title: string;
  speaker: string;
  abstract: string;
  topics: string[];
};
export type Corpus = {
  events: CorpusEvent[];
  talks: CorpusTalk[];
  /** Users (index → email) and the events (indexes) each registered for. */
  users: { email: string; name: string; events: number[] }[];
  /** The vocabulary by rank: the first words are common, the last rare (what the bench queries). */
  vocabulary: string[];
};

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function slugify(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Pure and deterministic: the same seed and size give the same corpus. */
export function generateCorpus(size: CorpusSize = FULL_CORPUS, seed = 20_270_512): Corpus {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const synthetic = new Set<string>();
  while (synthetic.size < 20_000) {
    const parts = 2 + Math.floor(random() * 2);
    synthetic.add(Array.from({ length: parts }, () => pick(SYLLABLES)).join(""));
  }
  const vocabulary = [...new Set([...TECH_WORDS, ...FILLER_WORDS, ...synthetic])];
  const word = zipf(vocabulary.length, 1.0, random, 30);
  const draw = () => vocabulary[word()] ?? "edge";
  const sentence = (n: number) =>
    Array.from({ length: n }, (_, i) => (i % 3 === 2 ? pick(GLUE) : draw())).join(" ");

  const cityOf = zipfFromWeights(
    CITIES.map(([, w]) => w),
    random,
  );
  const events: CorpusEvent[] = [];
  for (let i = 0; i < size.events; i++) {
    const city = CITIES[cityOf()]?.[0] ?? "Berlin";
    const year = 2025 + Math.floor(random() * 5);
    const name = `${capitalise(draw())} ${pick(EVENT_KINDS)} ${city} ${year}`;
    events.push({
      slug: `${CORPUS_SLUG}${i + 1}-${slugify(name)}`.slice(0, 100),
      name,
      venue: `${capitalise(draw())} ${pick(VENUE_KINDS)}`,
      city,
      description: `${capitalise(sentence(12 + Math.floor(random() * 20)))}.`,
      startsAt: new Date(Date.UTC(year, Math.floor(random() * 12), 1 + Math.floor(random() * 28), 8)),
    });
  }

  const speakers = new Set<string>();
  while (speakers.size < size.speakers) {
    // Some double-barrelled surnames: two-part names alone would run out before 20,000.
    const last = random() < 0.3 ? `${pick(LAST_NAMES)}-${pick(LAST_NAMES)}` : pick(LAST_NAMES);
    speakers.add(`${pick(FIRST_NAMES)} ${last}`);
  }
  const speakerList = [...speakers];
  const topic = zipf(seedTopics.length, 0.8, random);
  const talks: CorpusTalk[] = [];
  for (let i = 0; i < size.talks; i++) {
    const title = capitalise(Array.from({ length: 3 + Math.floor(random() * 5) }, draw).join(" "));
    const tags = new Set<string>();
    const n = 1 + Math.floor(random() * 3);
    while (tags.size < n) tags.add(seedTopics[topic()]?.slug ?? "caching");
    talks.push({
      event: Math.floor(random() * size.events),
      slug: `t${i + 1}-${slugify(title)}`.slice(0, 100),
      title,
      speaker: pick(speakerList),
      abstract: `${capitalise(sentence(25 + Math.floor(random() * 40)))}.`,
      topics: [...tags],
    });
  }

  const popular = zipf(size.events, 0.9, random);
  const users = Array.from({ length: size.users }, (_, i) => {
    const registered = new Set<number>();
    const n = 1 + Math.floor(random() * 10);
    while (registered.size < n) registered.add(popular());
    return { email: `attendee${i + 1}@corpus.test`, name: `Attendee ${i + 1}`, events: [...registered] };
  });
  return { events, talks, users, vocabulary };
}

function zipfFromWeights(weights: readonly number[], random: () => number): () => number {
  const total = weights.reduce((a, b) => a + b, 0);
  return () => {
    let x = random() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return i;
    }
    return weights.length - 1;
  };
}

export type LoadReport = { skipped: boolean; events: number; talks: number; users: number; ms: number };

/**
 * Loads the corpus in one transaction, in batches of `unnest` inserts (the search triggers build every
 * document as rows arrive). Nothing happens if corpus events are already there.
 */
export async function loadCorpus(
  url: string,
  corpus: Corpus,
  progress: (line: string) => void = () => {},
): Promise<LoadReport> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url, application_name: `${SITE.name}-corpus` });
  await client.connect();
  try {
    const existing = await client.query<{ n: number }>(
      "select count(*)::int as n from events where slug like $1",
      [`${CORPUS_SLUG}%`],
    );
    if ((existing.rows[0]?.n ?? 0) > 0) {
      return {
        skipped: true,
        events: existing.rows[0]?.n ?? 0,
        talks: 0,
        users: 0,
        ms: Date.now() - started,
      };
    }
    await client.query("begin");
    await client.query(
      "insert into topics (slug, name) select * from unnest($1::text[], $2::text[]) on conflict do nothing",
      [seedTopics.map((t) => t.slug), seedTopics.map((t) => t.name)],
    );
    const eventIds: number[] = [];
    for (const chunk of chunks(corpus.events, 1_000)) {
      const r = await client.query<{ id: number }>(
        `insert into events (slug, name, venue, city, description, starts_at)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
         returning id`,
        [
          chunk.map((e) => e.slug),
          chunk.map((e) => e.name),
          chunk.map((e) => e.venue),
          chunk.map((e) => e.city),
          chunk.map((e) => e.description),
          chunk.map((e) => e.startsAt.toISOString()),
        ],
      );
      eventIds.push(...r.rows.map((row) => row.id));
    }
    progress(`${eventIds.length} events`);
    let done = 0;
    for (const chunk of chunks(corpus.talks, 2_000)) {
      const r = await client.query<{ id: number }>(
        `insert into talks (event_id, slug, title, speaker, abstract)
         select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) returning id`,
        [
          chunk.map((t) => eventIds[t.event] ?? 0),
          chunk.map((t) => t.slug),
          chunk.map((t) => t.title),
          chunk.map((t) => t.speaker),
          chunk.map((t) => t.abstract),
        ],
      );
      const pairs = chunk.flatMap((t, i) => t.topics.map((slug) => [r.rows[i]?.id ?? 0, slug] as const));
      await client.query(
        `insert into talk_topics (talk_id, topic_id)
         select p.talk_id, tp.id from unnest($1::int[], $2::text[]) as p(talk_id, slug) join topics tp on tp.slug = p.slug`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
      done += chunk.length;
      if (done % 10_000 === 0) progress(`${done} talks`);
    }
    await client.query(
      "insert into users (email, name) select * from unnest($1::text[], $2::text[]) on conflict do nothing",
      [corpus.users.map((u) => u.email), corpus.users.map((u) => u.name)],
    );
    const regs = corpus.users.flatMap((u) =>
      u.events.map((e) => [eventIds[e] ?? 0, u.name, u.email] as const),
    );
    for (const chunk of chunks(regs, 5_000)) {
      await client.query(
        `insert into registrations (event_id, name, email) select * from unnest($1::int[], $2::text[], $3::text[])
         on conflict do nothing`,
        [chunk.map((r) => r[0]), chunk.map((r) => r[1]), chunk.map((r) => r[2])],
      );
    }
    await client.query(
      `update events e set registrations_count = r.n
       from (select event_id, count(*)::int as n from registrations group by event_id) r
       where r.event_id = e.id and e.slug like $1`,
      [`${CORPUS_SLUG}%`],
    );
    progress(`${corpus.users.length} users, ${regs.length} registrations`);
    await client.query("commit");
    // Fresh statistics: the planner's row estimates for the search plans come from these.
    await client.query("analyze events, talks, talk_topics, topics, registrations, users");
    return {
      skipped: false,
      events: corpus.events.length,
      talks: corpus.talks.length,
      users: corpus.users.length,
      ms: Date.now() - started,
    };
  } catch (e) {
    await client.query("rollback").catch(() => {});
    throw e;
  } finally {
    await client.end();
  }
}

function* chunks<T>(list: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}
