-- Search documents kept by the database (docs/decisions/020-search.md). Titles and names are indexed twice:
-- stemmed ('english', so "caching" finds "cache") and as typed ('simple', so the prefix of an unfinished word
-- such as "cachi" still finds "caching"); prose only stemmed. Weights: A titles, B people and places, C prose,
-- D the event a talk belongs to. New and changed rows get their document from the triggers below; rows older
-- than this migration stay NULL until the batched backfill (`npm run search -- rebuild`) reaches them.
CREATE OR REPLACE FUNCTION search_words(body text, weight "char") RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT setweight(to_tsvector('english'::regconfig, coalesce(body, '')), weight)
            || setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), weight) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION event_search_document(name text, venue text, city text, description text)
  RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT search_words(name, 'A') || search_words(coalesce(city, '') || ' ' || coalesce(venue, ''), 'B')
            || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C') $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION talk_search_document(
  title text, speaker text, abstract text, event_name text, event_venue text, event_city text
) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT search_words(title, 'A') || search_words(speaker, 'B')
            || setweight(to_tsvector('english'::regconfig, coalesce(abstract, '')), 'C')
            || setweight(to_tsvector('english'::regconfig, coalesce(event_name, '') || ' ' || coalesce(event_city, '') || ' ' || coalesce(event_venue, '')), 'D') $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION events_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := event_search_document(NEW.name, NEW.venue, NEW.city, NEW.description);
  RETURN NEW;
END $$;
--> statement-breakpoint
-- A talk's document carries its event's name and place, so renaming or moving an event rewrites its talks'.
CREATE OR REPLACE FUNCTION events_search_talks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE talks t
     SET search_vector = talk_search_document(t.title, t.speaker, t.abstract, NEW.name, NEW.venue, NEW.city)
   WHERE t.event_id = NEW.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION talks_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE e record;
BEGIN
  SELECT name, venue, city INTO e FROM events WHERE id = NEW.event_id;
  NEW.search_vector := talk_search_document(NEW.title, NEW.speaker, NEW.abstract, e.name, e.venue, e.city);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_search_vector BEFORE INSERT OR UPDATE OF name, venue, city, description ON events
  FOR EACH ROW EXECUTE FUNCTION events_search_vector();
--> statement-breakpoint
CREATE TRIGGER events_search_talks AFTER UPDATE OF name, venue, city ON events
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.venue IS DISTINCT FROM NEW.venue
                     OR OLD.city IS DISTINCT FROM NEW.city)
  EXECUTE FUNCTION events_search_talks();
--> statement-breakpoint
CREATE TRIGGER talks_search_vector BEFORE INSERT OR UPDATE OF title, speaker, abstract, event_id ON talks
  FOR EACH ROW EXECUTE FUNCTION talks_search_vector();
