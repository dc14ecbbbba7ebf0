// Every answer that is not a page the site meant to show (4xx, 5xx, 503/504 under faults): HTML or JSON, never cached.
import { describeRetry, escapeHtml, prefersHtml } from "./negotiate.ts";

export interface Problem {
  status: number;
  /** Machine-readable code for API clients, e.g. "bad_request", "timeout". */
  code: string;
  /** A heading a person understands. */
  title: string;
  message: string;
  requestId?: string | undefined;
  /** Seconds; sent as Retry-After and said on the page. */
  retryAfter?: number | undefined;
  /** A write that may or may not have been saved: tell the person that sending it again is harmless. */
  retrySafe?: boolean | undefined;
}

export function problemResponse(accept: string | null | undefined, p: Problem): Response {
  const headers = new Headers({ "cache-control": "no-store", vary: "Accept" });
  if (p.retryAfter !== undefined) headers.set("retry-after", String(Math.max(1, Math.round(p.retryAfter))));
  if (p.requestId) headers.set("x-request-id", p.requestId);
  if (prefersHtml(accept)) {
    headers.set("content-type", "text/html; charset=utf-8");
    return new Response(problemPage(p), { status: p.status, headers });
  }
  headers.set("content-type", "application/json; charset=utf-8");
  const body = {
    error: p.code,
    message: p.message,
    ...(p.requestId ? { requestId: p.requestId } : {}),
    ...(p.retryAfter !== undefined ? { retryAfter: Math.max(1, Math.round(p.retryAfter)) } : {}),
    ...(p.retrySafe ? { retrySafe: true } : {}),
  };
  return new Response(JSON.stringify(body), { status: p.status, headers });
}

export function problemPage(p: Problem): string {
  const retry =
    p.retryAfter === undefined ? "" : `<p>Please try again ${describeRetry(Math.max(1, p.retryAfter))}.</p>`;
  const safe = p.retrySafe
    ? "<p>If you were saving something, sending it again is safe: it will not be saved twice.</p>"
    : "";
  const id = p.requestId
    ? `<p class="request-id">Request id: <code>${escapeHtml(p.requestId)}</code> (quote it if you contact us)</p>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${p.status} ${escapeHtml(p.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}h1{font-size:1.5rem}code{background:#f1f3f5;padding:0 .25rem}</style>
</head>
<body>
<main>
<h1>${escapeHtml(p.title)}</h1>
<p>${escapeHtml(p.message)}</p>
${retry}${safe}${id}<p><a href="/">Back to the home page</a></p>
</main>
</body>
</html>
`;
}
