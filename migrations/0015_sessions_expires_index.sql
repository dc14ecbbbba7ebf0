-- Built without blocking sign-ins; runs outside a transaction (the runner sees CONCURRENTLY).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "sessions_expires" ON "sessions" USING btree ("expires_at");
