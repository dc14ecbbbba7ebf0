// Reads a form or JSON body and validates it, turning every problem into one clear 400.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";

export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  let raw: unknown;
  try {
    raw = type.includes("application/json") ? await c.req.json() : await c.req.parseBody();
  } catch {
    throw new HTTPException(400, { message: "The request body could not be read (send JSON or a form)." });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    throw new HTTPException(400, { message });
  }
  return parsed.data;
}

/** Browsers posting a form get redirects and pages; API clients get JSON. */
export function wantsJson(c: Context): boolean {
  return (
    (c.req.header("content-type") ?? "").includes("application/json") ||
    (c.req.header("accept") ?? "").startsWith("application/json")
  );
}
