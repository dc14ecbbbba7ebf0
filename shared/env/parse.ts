// Validates a Worker's env once per isolate and returns a typed config; the only place that reads raw env.
import * as z from "zod/mini";

const cache = new WeakMap<object, unknown>();

/** A Worker's vars or secrets are missing or wrong: the edge answers with a maintenance page, not a crash. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Where the fix is: deployed Workers get secrets from one command, local ones from `npm run dev`. */
function howToFix(env: object): string {
  const name = (env as { ENVIRONMENT?: unknown }).ENVIRONMENT;
  return typeof name === "string" && name !== "" && name !== "local"
    ? `set secrets with \`npm run secrets -- --env ${name}\`, vars in the Worker's wrangler.toml [env.${name}]`
    : "locally `npm run dev` writes them to .dev.vars";
}

/** Parses `env` with `schema` once per env object; a bad config fails loudly at the first request, not deep inside. */
export function parseEnvOnce<S extends z.ZodMiniType>(env: object, schema: S, worker: string): z.output<S> {
  const hit = cache.get(env);
  if (hit !== undefined) return hit as z.output<S>;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`${worker} Worker misconfigured: ${problems} (${howToFix(env)})`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}

/** postgres:// or postgresql://, the schemes the Neon driver speaks; anything else is refused at startup. */
export function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
  } catch {
    return false;
  }
}

const required = (name: string) =>
  z.string({ error: (i) => (i.input === undefined ? `${name} is not set` : `${name} must be a string`) });

export const postgresUrl = (name: string) =>
  required(name).check(z.refine(isPostgresUrl, `${name} must be a postgres:// URL`));

export const csv = z.pipe(
  z._default(z.string(), ""),
  z.transform((s) =>
    s
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  ),
);

/** Comma-separated postgres:// URLs (the read replicas). */
export const postgresUrls = (name: string) =>
  csv.check(
    z.refine((urls) => urls.every(isPostgresUrl), `${name} must be postgres:// URLs, comma-separated`),
  );

export const flag = z.pipe(
  z._default(z.string(), "false"),
  z.transform((s) => s === "true" || s === "1"),
);

export const optionalString = z.pipe(
  z._default(z.string(), ""),
  z.transform((s) => (s.trim() === "" ? null : s.trim())),
);

/** A string var with a default (names, cookie names). */
export const text = (fallback: string) => z._default(z.string().check(z.minLength(1)), fallback);

export const secret = (name: string) =>
  required(name).check(z.minLength(16, `${name} must be at least 16 characters`));

/** The next key of a keyring while it rotates (shared/trust/keyring.ts); unset otherwise. */
export const nextSecret = (name: string) =>
  z
    .pipe(
      z.optional(z.string()),
      z.transform((s) => (s === undefined || s === "" ? null : s)),
    )
    .check(z.refine((s) => s === null || s.length >= 16, `${name} must be at least 16 characters`));

/** A whole number var (`"200"`), within bounds. */
export const whole = (fallback: number, min: number, max: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);

/** Milliseconds, as a var: `"2000"`. */
export const millis = (fallback: number) => whole(fallback, 1, 60_000);

/** Settings only a laptop may run with (test hooks, the dev mailbox, test keys): refused by every deployed Worker. */
export function localOnly<T extends { ENVIRONMENT: string }>(
  rules: (config: T) => Array<[string, string | false]>,
) {
  return z.superRefine<T>((config, ctx) => {
    if (config.ENVIRONMENT === "local") return;
    for (const [path, problem] of rules(config)) {
      if (problem) {
        ctx.issues.push({
          code: "custom",
          input: config,
          path: [path],
          message: `${problem} (allowed only where ENVIRONMENT is "local", not "${config.ENVIRONMENT}")`,
        });
      }
    }
  });
}
