// Where the operations console lives: one prefix the edge never caches and an Access application can cover alone.

/** Pages for people (staff sign-in or Cloudflare Access); the CLIs' JSON APIs stay under /_admin. */
export const CONSOLE_PATH = "/admin";
/** The read-only switch's form: it must still post while the site is read-only, or the switch could not go off. */
export const CONSOLE_READ_ONLY_PATH = "/admin/readonly";
