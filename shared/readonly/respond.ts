// The 503 a blocked write gets while read-only: a page for people, JSON for API clients, never cached.

import { describeRetry, escapeHtml, prefersHtml } from "../http/index.ts";
import type { ReadOnlyState } from "./state.ts";
import { DEFAULT_READ_ONLY_REASON } from "./text.ts";

export type ReadOnlyBody = { error: "read_only"; message: string; retryAfter: number };

export function readOnlyResponse(request: Request, state: ReadOnlyState): Response {
  const retryAfter = Math.max(1, Math.round(state.retryAfter));
  const message = state.reason.trim() || DEFAULT_READ_ONLY_REASON;
  const headers = new Headers({
    "Retry-After": String(retryAfter),
    "Cache-Control": "no-store",
    "X-Read-Only": "on",
    Vary: "Accept",
  });
  if (prefersHtml(request.headers.get("Accept"))) {
    headers.set("Content-Type", "text/html; charset=utf-8");
    return new Response(readOnlyPage(message, retryAfter), { status: 503, headers });
  }
  const body: ReadOnlyBody = { error: "read_only", message, retryAfter };
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status: 503, headers });
}

function readOnlyPage(message: string, retryAfter: number): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Read-only mode</title>
<style>
body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
h1{font-size:1.5rem}.reason{background:#fff4d6;border-left:4px solid #c98a00;padding:.75rem 1rem}
</style>
</head>
<body>
<main>
<h1>Read-only mode: your change was not saved</h1>
<p class="reason">${escapeHtml(message)}</p>
<p>You can keep browsing. Please try again ${describeRetry(retryAfter)}.</p>
<p><a href="/">Back to the home page</a></p>
</main>
</body>
</html>
`;
}
