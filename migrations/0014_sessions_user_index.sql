-- Built without blocking sign-ins; runs outside a transaction (the runner sees CONCURRENTLY).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "sessions_user" ON "sessions" USING btree ("user_id");
