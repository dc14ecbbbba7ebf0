-- Accounts (sign-in codes, the sessions' dev marker, comment authors), the dev mailbox, and grouped errors.
CREATE TABLE "dev_mailbox" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "error_groups" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"worker" text NOT NULL,
	"type" text NOT NULL,
	"message" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_request_id" text,
	"stack" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signin_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"purpose" text NOT NULL,
	"user_id" integer,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "author_id" integer;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "dev" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "signin_codes" ADD CONSTRAINT "signin_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "error_groups_last_seen" ON "error_groups" USING btree ("last_seen");--> statement-breakpoint
CREATE INDEX "signin_codes_email" ON "signin_codes" USING btree ("email","purpose","created_at");--> statement-breakpoint
CREATE INDEX "signin_codes_expires" ON "signin_codes" USING btree ("expires_at");--> statement-breakpoint
-- NOT VALID: new rows are checked at once; the old rows (all author_id NULL) are validated in the next migration.
ALTER TABLE "comments" ADD CONSTRAINT "comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action NOT VALID;