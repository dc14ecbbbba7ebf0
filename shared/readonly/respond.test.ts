// The blocked-write 503: status, headers, HTML vs JSON by Accept, escaping, retry wording.
import { describe, expect, it } from "vitest";
import { readOnlyResponse } from "./respond.ts";
import type { ReadOnlyState } from "./state.ts";

const state: ReadOnlyState = {
  on: true,
  reason: "Upgrading <Postgres> & friends",
  retryAfter: 600,
  since: null,
  by: null,
};
const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

function post(accept?: string): Request {
  return new Request("https://example.test/events/1/register", {
    method: "POST",
    headers: accept ? { Accept: accept } : {},
  });
}

describe("readOnlyResponse", () => {
  it("gives API clients JSON with a 503, Retry-After and no-store", async () => {
    const res = readOnlyResponse(post("application/json"), state);
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("600");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: "read_only", message: state.reason, retryAfter: 600 });
  });

  it("defaults to JSON when Accept is missing or a wildcard", () => {
    expect(readOnlyResponse(post(), state).headers.get("Content-Type")).toMatch(/json/);
    expect(readOnlyResponse(post("*/*"), state).headers.get("Content-Type")).toMatch(/json/);
  });

  it("gives browsers an HTML page with the reason escaped", async () => {
    const res = readOnlyResponse(post(BROWSER), state);
    expect(res.status).toBe(503);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("Upgrading &lt;Postgres&gt; &amp; friends");
    expect(html).not.toContain("<Postgres>");
    expect(html).toContain("in about 10 minutes");
  });

  it("uses a default message for an empty reason and a whole, positive Retry-After", async () => {
    const res = readOnlyResponse(post(), { ...state, reason: "  ", retryAfter: 0.2 });
    expect(res.headers.get("Retry-After")).toBe("1");
    const body = (await res.json()) as { message: string };
    expect(body.message.length).toBeGreaterThan(10);
  });
});
