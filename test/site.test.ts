// The thin path end to end: edge → origin → replica → HTML.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("the example site through the edge", () => {
  it("renders the events list from the database", async () => {
    const res = await SELF.fetch("http://edgeplate.test/");
    const html = await res.text();
    expect(res.status, html).toBe(200);

    expect(html).toContain("Edge Summit 2027");
  });
});
