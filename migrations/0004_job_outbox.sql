CREATE TABLE "job_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() + interval '15 seconds' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
CREATE INDEX "job_outbox_available" ON "job_outbox" USING btree ("available_at");