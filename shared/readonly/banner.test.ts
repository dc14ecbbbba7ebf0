// The banner: injected once after <body>, escaped, validators dropped, non-HTML only marked.
import { describe, expect, it } from "vitest";
import { withReadOnlyBanner } from "./banner.ts";
import { READ_ONLY_OFF, type ReadOnlyState } from "./state.ts";

const ON: ReadOnlyState = { on: true, reason: "<b>DB</b> upgrade", retryAfter: 60, since: null, by: null };

function page(extra: HeadersInit = {}): Response {
  return new Response('<!doctype html><html><body class="home"><h1>Events</h1></body></html>', {
    headers: { "Content-Type": "text/html; charset=utf-8", ETag: '"abc"', ...extra },
  });
}

describe("withReadOnlyBanner", () => {
  it("returns the response untouched while off", () => {
    const res = page();
    expect(withReadOnlyBanner(res, { ...READ_ONLY_OFF })).toBe(res);
  });

  it("injects an escaped banner right after <body …> and marks the response", async () => {
    const res = withReadOnlyBanner(page(), ON);
    expect(res.headers.get("X-Read-Only")).toBe("on");
    expect(res.headers.get("ETag")).toBeNull();
    const html = await res.text();
    expect(html).toMatch(/<body class="home"><div class="readonly-banner" role="status"[^>]*>/);
    expect(html).toContain("&lt;b&gt;DB&lt;/b&gt; upgrade. You can browse");
    expect(html).toContain("<h1>Events</h1>");
  });

  it("injects only once even if the markup has two bodies", async () => {
    const res = new Response("<body><body>x</body></body>", { headers: { "Content-Type": "text/html" } });
    const html = await withReadOnlyBanner(res, ON).text();
    expect(html.match(/readonly-banner/g)?.length).toBe(1);
  });

  it("marks but does not rewrite JSON, and keeps status and other headers", async () => {
    const res = withReadOnlyBanner(
      new Response('{"ok":true}', {
        status: 201,
        headers: { "Content-Type": "application/json", ETag: '"j"' },
      }),
      ON,
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("X-Read-Only")).toBe("on");
    expect(res.headers.get("ETag")).toBe('"j"');
    expect(await res.text()).toBe('{"ok":true}');
  });

  it("marks responses whose headers are immutable, such as redirects", () => {
    const res = withReadOnlyBanner(Response.redirect("https://example.test/", 302), ON);
    expect(res.status).toBe(302);
    expect(res.headers.get("X-Read-Only")).toBe("on");
  });

  it("is idempotent and leaves the read-only 503 page alone", async () => {
    const once = withReadOnlyBanner(page(), ON);
    const twice = withReadOnlyBanner(once, ON);
    expect((await twice.text()).match(/readonly-banner/g)?.length).toBe(1);
    const blocked = new Response("<body>blocked</body>", {
      status: 503,
      headers: { "Content-Type": "text/html", "X-Read-Only": "on" },
    });
    expect(withReadOnlyBanner(blocked, ON)).toBe(blocked);
  });

  it("handles bodiless HTML responses such as 304", () => {
    const res = withReadOnlyBanner(
      new Response(null, { status: 304, headers: { "Content-Type": "text/html" } }),
      ON,
    );
    expect(res.status).toBe(304);
    expect(res.headers.get("X-Read-Only")).toBe("on");
  });
});
