-- Enforce step 1 of 2 (run after the city backfill job reports zero NULL rows; see docs/migrations.md).
-- NOT VALID: new and updated rows are checked from now on, but the existing rows are not scanned, so the
-- ACCESS EXCLUSIVE lock is held only for a catalog update. The scan happens in 0003 under a weaker lock.
ALTER TABLE "events" ADD CONSTRAINT "events_city_not_null" CHECK ("city" IS NOT NULL) NOT VALID;
