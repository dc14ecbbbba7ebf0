// Console errors page: errors grouped by fingerprint (shared/error-tracking), newest first, with their last request id.
import { desc } from "drizzle-orm";
import { Hono } from "hono";
import { errorGroups } from "../../../shared/db/index.ts";
import type { ConsoleApp } from "./context.ts";
import { Wide, when } from "./layout.tsx";
import { page } from "./page.tsx";

type Group = typeof errorGroups.$inferSelect;

function ErrorsPage(props: { groups: Group[] | null }) {
  return (
    <>
      <h1>Errors</h1>
      {props.groups === null ? (
        <p data-errors="unavailable">
          Error tracking is not set up on this database (no <code>error_groups</code> table): apply the
          migrations.
        </p>
      ) : props.groups.length === 0 ? (
        <p data-errors="none">
          No errors recorded. Each kind of failure appears here once, counted, with its first and last time
          and the request id to look up in the logs.
        </p>
      ) : (
        <Wide>
          <table class="errors">
            <thead>
              <tr>
                <th>error</th>
                <th>count</th>
                <th>first / last seen</th>
                <th>last request</th>
              </tr>
            </thead>
            <tbody>
              {props.groups.map((g) => (
                <tr data-fingerprint={g.fingerprint}>
                  <td>
                    <strong>{g.type}</strong> {g.message} <small>({g.worker})</small>
                    <details>
                      <summary>stack</summary>
                      <pre>{g.stack}</pre>
                    </details>
                  </td>
                  <td>{g.count}</td>
                  <td>
                    {when(g.firstSeen)}
                    <br />
                    {when(g.lastSeen)}
                  </td>
                  <td>
                    <code>{g.lastRequestId ?? "–"}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Wide>
      )}
    </>
  );
}

export const consoleErrors = new Hono<ConsoleApp>().get("/admin/errors", async (c) => {
  let groups: Group[] | null;
  try {
    groups = await c.get("db").read.select().from(errorGroups).orderBy(desc(errorGroups.lastSeen)).limit(100);
  } catch (e) {
    // 42P01: the table is not there (a database behind on migrations); anything else is a real failure.
    if ((e as { code?: string } | null)?.code !== "42P01" && !/error_groups.*does not exist/.test(String(e)))
      throw e;
    groups = null;
  }
  return page(c, { title: "Errors", section: "errors" }, <ErrorsPage groups={groups} />);
});
