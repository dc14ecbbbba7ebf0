// The site's own names in one place: `npm run new-site -- <name>` rewrites SITE (and the wrangler configs).
// Everything else derives from it, so a fork's cookies, headers, queues and local database carry its name.

export const SITE = {
  /** Machine name: the Workers, queues, bucket and local database are named after it. */
  name: "edgeplate",
  /** What people read: page titles, the header, mail subjects. */
  title: "edgeplate events",
  /** The site's own cookies start with it (read-your-writes, cache bypass, anonymous id, sign-in). */
  cookiePrefix: "ep_",
};

/** The template this site started from; its migrations' override marker keeps working after a rename. */
export const TEMPLATE_NAME = "edgeplate";

/** RFC 9211 `Cache-Status` names the cache that answered. */
export const CACHE_NAME = SITE.name;

/** Prefix of the site's internal headers (stored edge-cache metadata, the signed flags header). */
export const HEADER_PREFIX = `x-${SITE.name}-`;

/** A cookie of this site: `cookieName("ryw")` → `ep_ryw`. */
export const cookieName = (what: string): string => `${SITE.cookiePrefix}${what}`;

/** The name as an identifier (Postgres database, environment variables): `my-site` → `my_site`. */
export const SITE_IDENT = SITE.name.replace(/-/g, "_");

/** Environment variables the CLIs read: `<NAME>_ADMIN_TOKEN`, `<NAME>_URL`. */
export const ENV_PREFIX = SITE_IDENT.toUpperCase();

/** Queue names in every config: `<name>-jobs` and its dead-letter queue, each `-<env>` when deployed. */
export const JOBS_QUEUE = `${SITE.name}-jobs`;
export const DEAD_LETTER_QUEUE = `${JOBS_QUEUE}-dlq`;

/** The uploads bucket (`-<env>` when deployed); browsers PUT to `/_r2/<bucket>/…` locally. */
export const UPLOADS_BUCKET = `${SITE.name}-uploads`;

/** True for the dead-letter queue of any environment (`<name>-jobs-dlq`, `<name>-jobs-dlq-staging`…). */
export function isDeadLetterQueue(queue: string): boolean {
  return (
    queue.startsWith(DEAD_LETTER_QUEUE) && /^(?:-[a-z0-9-]+)?$/.test(queue.slice(DEAD_LETTER_QUEUE.length))
  );
}
