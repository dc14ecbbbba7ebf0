-- Trigram similarity for "did you mean" (docs/decisions/020-search.md). In stock PostgreSQL and on Neon.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
