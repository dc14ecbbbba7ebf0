// The one validation path at the boundary: body, path and query, each problem one clear 4xx naming the field.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type * as z from "zod/mini";

export async function parseBody<S extends z.ZodMiniType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  let raw: unknown;
  try {
    raw = type.includes("application/json") ? await c.req.json() : await c.req.parseBody();
  } catch {
    throw new HTTPException(400, { message: "The request body could not be read (send JSON or a form)." });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HTTPException(400, { message: describe(parsed.error) });
  return parsed.data;
}

/** Path parameters: a value that cannot name anything is a 404 (the address does not exist), with the reason. */
export function parseParams<S extends z.ZodMiniType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.param());
  if (!parsed.success) throw new HTTPException(404, { message: `No such page: ${describe(parsed.error)}` });
  return parsed.data;
}

/** Query parameters: 400 naming the bad one. Unknown parameters are ignored (tracking, cache busting). */
export function parseQuery<S extends z.ZodMiniType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new HTTPException(400, { message: describe(parsed.error) });
  return parsed.data;
}

function describe(error: z.core.$ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ");
}

/** Browsers posting a form get redirects and pages; API clients get JSON. */
export function wantsJson(c: Context): boolean {
  return (
    (c.req.header("content-type") ?? "").includes("application/json") ||
    (c.req.header("accept") ?? "").startsWith("application/json")
  );
}
