// drizzle-kit settings: where the schema lives, where migrations go, and which database `migrate`/`studio` touch.
import { defineConfig } from "drizzle-kit";

// Migrations need a session-level connection (advisory locks, SET lock_timeout, CONCURRENTLY), so on Neon
// this must be the direct host, not the -pooler one the app uses; `generate` needs no database at all.
const url = process.env.DIRECT_DATABASE_URL ?? process.env.DATABASE_URL ?? "";

export default defineConfig({
  dialect: "postgresql",
  schema: "./shared/db/schema.ts",
  out: "./migrations",
  dbCredentials: { url },
  strict: true,
  verbose: true,
});
