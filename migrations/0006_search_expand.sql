CREATE TABLE "talk_topics" (
	"talk_id" integer NOT NULL,
	"topic_id" integer NOT NULL,
	CONSTRAINT "talk_topics_talk_id_topic_id_pk" PRIMARY KEY("talk_id","topic_id")
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "topics_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "search_vector" "tsvector";--> statement-breakpoint
ALTER TABLE "talks" ADD COLUMN "search_vector" "tsvector";--> statement-breakpoint
ALTER TABLE "talk_topics" ADD CONSTRAINT "talk_topics_talk_id_talks_id_fk" FOREIGN KEY ("talk_id") REFERENCES "public"."talks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_topics" ADD CONSTRAINT "talk_topics_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "talk_topics_topic" ON "talk_topics" USING btree ("topic_id","talk_id");