// Example rows for a fresh dev database: three 2027 conferences, their talks and topics, three users with sessions.

export const seedEvents = [
  {
    slug: "edge-summit-2027",
    name: "Edge Summit 2027",
    venue: "Kulturbrauerei",
    city: "Berlin",
    description:
      "Two days on running code close to users: caches, queues, replicas and the bugs between them.",
    startsAt: new Date("2027-05-12T07:30:00Z"),
  },
  {
    slug: "postgres-days-lisbon-2027",
    name: "Postgres Days Lisbon 2027",
    venue: "LX Factory",
    city: "Lisbon",
    description: "A community conference about PostgreSQL in production, from locks to logical replication.",
    startsAt: new Date("2027-09-23T08:00:00Z"),
  },
  {
    slug: "frontend-north-2027",
    name: "Frontend North 2027",
    venue: "Manchester Central",
    city: "Manchester",
    description: "Fast, accessible web front ends, and the servers that make them fast.",
    startsAt: new Date("2027-11-04T09:00:00Z"),
  },
];

type Talk = { slug: string; title: string; speaker: string; abstract: string; topics: string[] };

/** Search facets (the corpus uses the same list). */
export const seedTopics = [
  { slug: "caching", name: "Caching" },
  { slug: "postgres", name: "Postgres" },
  { slug: "queues", name: "Queues and jobs" },
  { slug: "operations", name: "Operations" },
  { slug: "frontend", name: "Front end" },
  { slug: "accessibility", name: "Accessibility" },
  { slug: "feature-flags", name: "Feature flags" },
  { slug: "migrations", name: "Schema migrations" },
];

export const seedTalks: Record<string, Talk[]> = {
  "edge-summit-2027": [
    {
      slug: "grace-mode",
      title: "Grace Mode: Serving Stale on Purpose",
      speaker: "Ines Duarte",
      abstract: "What Varnish taught us about stale-while-revalidate, and where CDNs still get it wrong.",
      topics: ["caching"],
    },
    {
      slug: "tags-not-urls",
      title: "Purge by Tag, Not by URL",
      speaker: "Tomasz Nowak",
      abstract: "Surrogate keys from the database row to the edge, without purge storms.",
      topics: ["caching", "operations"],
    },
    {
      slug: "queues-at-the-edge",
      title: "Queues at the Edge",
      speaker: "Amara Okafor",
      abstract: "Idempotent consumers, dead letters and replays you can trust.",
      topics: ["queues"],
    },
    {
      slug: "read-only-fridays",
      title: "Read-Only Fridays",
      speaker: "Jonas Berg",
      abstract: "Keeping a site up while its primary database is down for maintenance.",
      topics: ["operations", "postgres"],
    },
  ],
  "postgres-days-lisbon-2027": [
    {
      slug: "lock-timeout",
      title: "Set lock_timeout or Regret It",
      speaker: "Marta Sousa",
      abstract: "How one ALTER TABLE waiting for a lock took a whole site down, and the two-line fix.",
      topics: ["postgres", "migrations"],
    },
    {
      slug: "expand-contract",
      title: "Expand, Backfill, Contract",
      speaker: "Daniel Kim",
      abstract: "Schema changes with zero downtime, step by step, with real lock traces.",
      topics: ["postgres", "migrations"],
    },
    {
      slug: "replica-lag",
      title: "Reading Your Own Writes on Replicas",
      speaker: "Priya Raman",
      abstract: "LSN tokens, sticky sessions and what Rails got right.",
      topics: ["postgres"],
    },
    {
      slug: "serverless-postgres",
      title: "Postgres over HTTP",
      speaker: "Lucas Ferreira",
      abstract: "Connection pooling, cold starts and the latency budget of a serverless driver.",
      topics: ["postgres", "operations"],
    },
  ],
  "frontend-north-2027": [
    {
      slug: "html-first",
      title: "HTML First, JavaScript Second",
      speaker: "Hannah Cole",
      abstract: "Server-rendered pages that stay fast on a cheap phone.",
      topics: ["frontend"],
    },
    {
      slug: "cache-headers",
      title: "Cache-Control for Humans",
      speaker: "Oliver Grant",
      abstract: "s-maxage, stale-if-error and Vary, explained with one diagram each.",
      topics: ["caching", "frontend"],
    },
    {
      slug: "flags-without-flicker",
      title: "Feature Flags Without Flicker",
      speaker: "Sofia Rossi",
      abstract: "Evaluating flags at the edge so the first paint is already right.",
      topics: ["feature-flags", "frontend"],
    },
    {
      slug: "accessible-forms",
      title: "Forms Everyone Can Fill In",
      speaker: "Kwame Mensah",
      abstract: "Labels, errors and focus: the boring details that decide conversion.",
      topics: ["accessibility", "frontend"],
    },
  ],
};

export const seedUsers = [
  { email: "ada@example.com", name: "Ada Lovelace", tags: ["staff"], session: "dev-session-ada" },
  { email: "bob@example.com", name: "Bob Martin", tags: ["beta"], session: "dev-session-bob" },
  { email: "cy@example.com", name: "Cy Young", tags: [], session: "dev-session-cy" },
];

/** Far enough ahead that a developer's `curl -b sid=dev-session-ada` keeps working. */
export const SEED_SESSION_EXPIRY = new Date("2099-01-01T00:00:00Z");
