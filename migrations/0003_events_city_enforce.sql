-- Enforce step 2 of 2. VALIDATE scans the table under SHARE UPDATE EXCLUSIVE (reads and writes go on);
-- PostgreSQL ≥ 12 then skips SET NOT NULL's own full scan because the validated check already proves it,
-- so the ACCESS EXCLUSIVE lock is brief. The check is redundant afterwards and dropped.
ALTER TABLE "events" VALIDATE CONSTRAINT "events_city_not_null";--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "city" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "events" DROP CONSTRAINT "events_city_not_null";
