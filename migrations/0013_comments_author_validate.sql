-- Validates the foreign key added NOT VALID in 0012: a scan under a lock that lets reads and writes go on.
ALTER TABLE "comments" VALIDATE CONSTRAINT "comments_author_id_users_id_fk";
