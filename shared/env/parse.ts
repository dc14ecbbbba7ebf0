// Validates a Worker's env once per isolate and returns a typed config; the only place that reads raw env.
import { z } from "zod";

const cache = new WeakMap<object, unknown>();

/** Parses `env` with `schema` once per env object; a bad config fails loudly at the first request, not deep inside. */
export function parseEnvOnce<S extends z.ZodType>(env: object, schema: S, worker: string): z.output<S> {
  const hit = cache.get(env);
  if (hit !== undefined) return hit as z.output<S>;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`${worker} Worker misconfigured: ${problems}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}

export const csv = z
  .string()
  .default("")
  .transform((s) =>
    s
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  );

export const flag = z
  .string()
  .default("false")
  .transform((s) => s === "true" || s === "1");

export const optionalString = z
  .string()
  .default("")
  .transform((s) => (s.trim() === "" ? null : s.trim()));

export const secret = (name: string) => z.string().min(16, `${name} must be at least 16 characters`);

/** Milliseconds, as a var: `"2000"`. */
export const millis = (fallback: number) => z.coerce.number().int().min(1).max(60_000).default(fallback);
