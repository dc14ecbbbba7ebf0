// Console cache page: purge by URL or tag and look at a URL's entry, done by the browser against the edge's own API.
import { Hono } from "hono";
import { issueGrant } from "../../../shared/console/index.ts";
import type { ConsoleApp } from "./context.ts";
import { page } from "./page.tsx";

export const consoleCache = new Hono<ConsoleApp>().get("/admin/cache", async (c) => {
  // The browser calls /_admin/cache and /_admin/purge itself with this grant: those requests do not come through
  // Access, so the edge's Cache API answers them (decision 027). The grant names the operator for the edge's log.
  const grant = await issueGrant(c.get("config").edgeKeys, c.get("actor").email);
  const site = new URL(c.req.url).origin;
  return page(
    c,
    { title: "Cache", section: "cache", grant },
    <>
      <h1>Edge cache</h1>
      <noscript>
        <p class="console-error">
          This page needs JavaScript: your browser asks the edge directly (or use <code>curl</code> with the
          admin token on <code>/_admin/cache</code> and <code>/_admin/purge</code>).
        </p>
      </noscript>
      <h2>What is stored for a URL</h2>
      <form data-edge="inspect" class="stack">
        <label>
          URL <input name="url" type="url" required value={`${site}/`} />
        </label>
        <button type="submit">Look up</button>
      </form>
      <output data-result="inspect" aria-live="polite" />
      <h2>Purge</h2>
      <p>
        Soft by default: the page is refetched on its next request, and a copy is kept only for the case where
        the origin then fails. A hard purge also removes that copy (legal or privacy removals).
      </p>
      <form data-edge="purge" class="stack">
        <label>
          URLs (one per line) <textarea name="urls" rows={3} placeholder={`${site}/events/…`} />
        </label>
        <label>
          Tags (e.g. <code>event:1</code>, <code>events</code>){" "}
          <input name="tags" placeholder="event:1, events" />
        </label>
        <label class="check">
          <input type="checkbox" name="hard" value="1" /> Hard purge (also the kept copies)
        </label>
        <button type="submit">Purge</button>
      </form>
      <output data-result="purge" aria-live="polite" />
    </>,
  );
});
