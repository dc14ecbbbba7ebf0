-- Built without blocking writes to events; runs outside a transaction (the runner sees CONCURRENTLY).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "events_search" ON "events" USING gin ("search_vector");
