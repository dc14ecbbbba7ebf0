// Marks every response while read-only (header) and shows people a banner on HTML pages.

import { escapeHtml } from "../http/index.ts";
import type { ReadOnlyState } from "./state.ts";
import { asSentence, DEFAULT_READ_ONLY_REASON } from "./text.ts";

export const READ_ONLY_HEADER = "X-Read-Only";

const BANNER_STYLE =
  "background:#fff4d6;color:#5c3d00;border-bottom:2px solid #c98a00;padding:.6rem 1rem;" +
  "font:500 0.95rem/1.4 system-ui,sans-serif;text-align:center";

export function readOnlyBannerHtml(state: ReadOnlyState): string {
  const reason = escapeHtml(asSentence(state.reason.trim() || DEFAULT_READ_ONLY_REASON));
  return (
    `<div class="readonly-banner" role="status" style="${BANNER_STYLE}">` +
    `<strong>Read-only mode.</strong> ${reason} You can browse, but changes can't be saved right now.</div>`
  );
}

/**
 * Call after the edge cache, on every response: cached copies stay banner-free, so switching off
 * needs no purge.
 */
export function withReadOnlyBanner(response: Response, state: ReadOnlyState): Response {
  // A 101 carries a WebSocket that a copied Response would drop; a marked response (the read-only 503
  // page, or one already passed through here) needs nothing more.
  if (!state.on || response.status === 101 || response.headers.has(READ_ONLY_HEADER)) return response;
  const out = new Response(response.body, response);
  out.headers.set(READ_ONLY_HEADER, "on");
  const type = out.headers.get("Content-Type") ?? "";
  if (!out.body || !/^\s*text\/html\b/i.test(type)) return out;
  // The body changes, so validators computed for the original would let a browser revalidate
  // into a bannered (or, later, banner-free) copy that no longer matches the server's.
  out.headers.delete("ETag");
  out.headers.delete("Last-Modified");
  const banner = readOnlyBannerHtml(state);
  let injected = false;
  return new HTMLRewriter()
    .on("body", {
      element(body) {
        if (injected) return;
        injected = true;
        body.prepend(banner, { html: true });
      },
    })
    .transform(out);
}
