import { SELF } from "cloudflare:test";
import { it } from "vitest";
import { site } from "./helpers";

it("probe", async () => {
  const bytes = new TextEncoder().encode("<html><script>alert(1)</script></html>");
  const r = await site("/uploads", {
    method: "POST",
    headers: { "content-type": "application/json", cookie: "sid=dev-session-cy" },
    body: JSON.stringify({ contentType: "image/png", size: bytes.byteLength }),
  });
  const p = JSON.parse(r.body);
  const put = await SELF.fetch(p.url, { method: "PUT", headers: p.headers, body: bytes });
  console.log("PUT", put.status);
  const m = await SELF.fetch(`http://edgeplate.test/media/${p.key}`);
  console.log(
    "MEDIA",
    m.status,
    m.headers.get("content-type"),
    m.headers.get("x-content-type-options"),
    m.headers.get("cache-control"),
    await m.text(),
  );
});
