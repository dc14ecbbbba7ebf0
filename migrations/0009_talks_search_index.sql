-- Built without blocking writes to talks; runs outside a transaction (the runner sees CONCURRENTLY).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "talks_search" ON "talks" USING gin ("search_vector");
