-- edgeplate:allow drop-table because only the local stand-in for mail wrote it (a job that retries until the new code runs), and nothing reads it
DROP TABLE "outbox" CASCADE;
