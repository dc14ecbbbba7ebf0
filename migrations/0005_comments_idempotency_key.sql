-- Built without blocking writes to comments; runs outside a transaction (the runner sees CONCURRENTLY).
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "comments_idempotency_key" ON "comments" USING btree ("idempotency_key");
