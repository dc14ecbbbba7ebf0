// Which database the db:* scripts touch: an explicit env URL (remote) or the local dev stack's direct URL.
import { existsSync, readFileSync } from "node:fs";

export const STACK_FILE = ".data/dev/stack.json";

/**
 * DIRECT_DATABASE_URL first: on Neon it is the non-pooled host, which migrations need (session advisory
 * lock, SET lock_timeout, CONCURRENTLY). DATABASE_URL is the pooled one the app uses.
 */
export function resolveDatabaseUrl(
  env: Record<string, string | undefined> = process.env,
  stackFile = STACK_FILE,
): { url: string; source: string } {
  for (const name of ["DIRECT_DATABASE_URL", "DATABASE_URL"]) {
    const url = env[name];
    if (url) return { url, source: name };
  }
  if (existsSync(stackFile)) {
    const stack = JSON.parse(readFileSync(stackFile, "utf8")) as { directUrl?: unknown };
    if (typeof stack.directUrl === "string" && stack.directUrl)
      return { url: stack.directUrl, source: stackFile };
  }
  throw new Error(
    `no database: set DIRECT_DATABASE_URL (or DATABASE_URL), or start the local stack (npm run dev) so ${stackFile} exists`,
  );
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<unparseable database url>";
  }
}
