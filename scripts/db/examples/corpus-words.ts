// Word lists for the generated search corpus: conference vocabulary, names and places (no meaning, just shape).

/** Most frequent first: the corpus draws words by rank (Zipf), so the head is "common" and the tail "rare". */
export const TECH_WORDS = `
postgres performance caching edge production scale database queues latency replication kubernetes security
testing observability migrations serverless api design frontend react rust python typescript javascript go
streaming events analytics search indexes transactions locks consistency availability incidents reliability
monitoring tracing logging metrics alerts deployments pipelines containers networking dns http tls cdn
browsers accessibility performance budgets rendering hydration components state workflows automation
infrastructure terraform cloud storage backups recovery sharding partitioning vacuum planner statistics
concurrency actors channels workers threads memory garbage compilers parsers types generics macros wasm
graphql rest grpc protocols websockets sessions authentication authorization tokens passwords encryption
privacy compliance governance data pipelines warehouses lakes embeddings vectors models inference training
evaluation prompts agents retrieval ranking relevance recommendations experiments flags rollouts canaries
chaos resilience budgets capacity cost finops teams hiring onboarding mentoring leadership architecture
microservices monoliths modules boundaries contracts schemas versioning compatibility upgrades refactoring
debugging profiling benchmarks flamegraphs allocation caches invalidation purges headers cookies cors
queues backpressure retries idempotency outbox sagas events sourcing projections snapshots replicas failover
`
  .split(/\s+/)
  .filter(Boolean);

export const FILLER_WORDS = `
building running lessons learned practical modern real world patterns pitfalls journey story guide deep dive
beyond fast safe simple small large growing legacy new old hard easy better faster cheaper honest tour
introduction advanced field notes case study keynote workshop panel tales myths truths notes tips tricks
at the heart of without fear under load in anger from scratch for humans zero downtime every day at scale
`
  .split(/\s+/)
  .filter(Boolean);

/** Glue between words in abstracts, so ts_headline and stemming see something like sentences. */
export const GLUE = ["the", "and", "of", "to", "in", "with", "for", "how", "we", "our", "a", "on", "why"];

export const SYLLABLES = `ka lo mi ra ve zu tor pen qui sal dro fex lin mar bo chi nu gra vel sto pri wen
yar zol kri ban tev oru lis mep dal fon gir hax jur`
  .split(/\s+/)
  .filter(Boolean);

export const FIRST_NAMES = `
Ada Alan Amara Ana Anders Anika Arjun Ava Beatriz Ben Bianca Carlos Chen Chloe Dana Daniel David Diego Dmitri
Elena Eli Emeka Emma Erik Eva Farah Felix Fatima Gabriel Grace Hana Hannah Hugo Ines Ingrid Isaac Ivan Jamal
Jana Javier Jin Jonas Julia Kai Kamala Karin Kenji Kofi Kwame Lara Leo Lena Lina Liam Lucas Luis Maja Malik
Marco Maria Marta Mateo Maya Mei Mia Miguel Mina Mohammed Nadia Naomi Nia Nikolai Nina Noah Nora Olga Oliver
Omar Oscar Pablo Paula Pedro Priya Rafael Rahul Rania Rosa Ruth Sam Sara Sean Sipho Sofia Sven Tariq Tessa
Theo Tomasz Uma Valentina Vera Victor Wei Wiktoria Xavier Yara Yusuf Zara Zoe Aiko Bruno Clara Dario Edith
Femi Greta Hiro Ilse Joao Kira Lorenzo Magnus Nils Orla Petra Quinn Rui Saoirse Timo Ulla Vito Wanda Yosef
`
  .split(/\s+/)
  .filter(Boolean);

export const LAST_NAMES = `
Adeyemi Almeida Andersen Bauer Becker Berg Bianchi Brown Campbell Chen Cohen Costa Cruz Dahl Das Duarte
Dubois Eriksson Fernandes Ferreira Fischer Garcia Gomez Grant Gupta Hansen Hoffmann Ibrahim Ito Jansen
Johansson Jones Kaur Khan Kim Kowalski Kumar Larsen Lee Lopez Martin Mensah Meyer Moreau Muller Murphy Nakamura
Nguyen Nielsen Novak Nowak Nunez Okafor Oliveira Olsen Park Patel Pereira Petrov Popescu Raman Reyes Rossi
Russo Sanchez Santos Sato Schmidt Schneider Silva Singh Smith Sousa Suzuki Tanaka Taylor Torres Varga Vogel
Wagner Walker Wang Weber Wilson Wong Yamamoto Yilmaz Zhang Zielinski Abbott Barros Carvalho Delgado Eze Falk
Gallo Hayes Iyer Jovanovic Keller Lindqvist Marino Neumann Ortiz Pinto Quaresma Rocha Strand Toivonen Ueda
Vasquez Wolff Xu Yoon Zeller Acosta Bjork Castro Dimitrov Engel Fonseca Greco Horvat Ivanova Jaramillo Kovacs
`
  .split(/\s+/)
  .filter(Boolean);

/** Cities with a weight: a few big conference cities, many small ones (the city facet's spread). */
export const CITIES: readonly [string, number][] = [
  ["Berlin", 40],
  ["London", 38],
  ["San Francisco", 35],
  ["New York", 32],
  ["Amsterdam", 28],
  ["Paris", 26],
  ["Lisbon", 24],
  ["Barcelona", 22],
  ["Toronto", 20],
  ["Singapore", 18],
  ["Tokyo", 18],
  ["Stockholm", 16],
  ["Copenhagen", 14],
  ["Dublin", 14],
  ["Munich", 13],
  ["Vienna", 12],
  ["Warsaw", 12],
  ["Prague", 11],
  ["Zurich", 10],
  ["Oslo", 10],
  ["Helsinki", 9],
  ["Madrid", 9],
  ["Milan", 9],
  ["Manchester", 8],
  ["Edinburgh", 8],
  ["Kraków", 7],
  ["Budapest", 7],
  ["Bucharest", 6],
  ["Athens", 6],
  ["Istanbul", 6],
  ["Tel Aviv", 6],
  ["Bangalore", 6],
  ["Sydney", 6],
  ["Melbourne", 5],
  ["Austin", 5],
  ["Seattle", 5],
  ["Chicago", 5],
  ["Boston", 5],
  ["Montréal", 4],
  ["São Paulo", 4],
  ["Buenos Aires", 4],
  ["Mexico City", 4],
  ["Cape Town", 3],
  ["Lagos", 3],
  ["Nairobi", 3],
  ["Seoul", 3],
  ["Taipei", 2],
  ["Reykjavík", 1],
];

export const VENUE_KINDS = ["Congress Centre", "Hall", "Arena", "Forum", "Expo", "Conference Center", "Kino"];
export const EVENT_KINDS = ["Summit", "Conf", "Days", "Camp", "Forum", "Live", "World", "Week"];
