// The one error path: HTTPExceptions become clear 4xx/503 answers; anything else a safe 500 without a stack trace.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

function wantsHtml(c: Context): boolean {
  const accept = c.req.header("accept") ?? "";
  return accept.includes("text/html") && !accept.startsWith("application/json");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function errorPage(status: number, title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} ${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`;
}

export function onError(err: Error, c: Context): Response {
  const requestId = c.get("requestId" as never) as string | undefined;
  if (err instanceof HTTPException) {
    // An exception built around a ready Response (e.g. 503 read-only with Retry-After) is sent as is.
    if (err.res) return err.res;
    const status = err.status;
    const message = err.message || "Request failed";
    const headers = { "cache-control": "no-store" };
    if (wantsHtml(c)) return c.html(errorPage(status, "Something is not right", message), status, headers);
    return c.json(
      { error: status >= 500 ? "unavailable" : "bad_request", message, requestId },
      status,
      headers,
    );
  }
  console.error(
    JSON.stringify({ level: "error", msg: "unhandled", requestId, error: String(err?.stack ?? err) }),
  );
  const message = "Something went wrong on our side. Please try again.";
  const headers = { "cache-control": "no-store" };
  if (wantsHtml(c)) return c.html(errorPage(500, "Server error", message), 500, headers);
  return c.json({ error: "internal", message, requestId }, 500, headers);
}

export function notFound(c: Context): Response {
  const headers = { "cache-control": "public, max-age=60" };
  if (wantsHtml(c))
    return c.html(errorPage(404, "Not found", "There is nothing at this address."), 404, headers);
  return c.json({ error: "not_found", message: `No route for ${c.req.method} ${c.req.path}` }, 404, headers);
}
