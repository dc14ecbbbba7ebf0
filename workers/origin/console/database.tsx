// Console database page: the primary and each replica (lag, health, ejected or not), as /healthz measures them.
import { Hono } from "hono";
import { type Healthz, toHealthz } from "../../../shared/db/index.ts";
import { healthProbe } from "../middleware/database.ts";
import { readOnlySwitch } from "../switches.ts";
import type { ConsoleApp } from "./context.ts";
import { Wide } from "./layout.tsx";
import { page } from "./page.tsx";

const lag = (bytes: number | null | undefined, seconds: number | null | undefined) =>
  `${bytes ?? "?"} bytes, ${seconds === null || seconds === undefined ? "?" : seconds.toFixed(2)} s`;

function DatabasePage(props: { health: Healthz; readOnly: boolean }) {
  const { primary, replicas } = props.health;
  return (
    <>
      <h1>Database</h1>
      <Wide>
        <table class="db">
          <thead>
            <tr>
              <th>server</th>
              <th>answers</th>
              <th>lag behind the primary</th>
              <th>reads routed to it</th>
              <th>why</th>
            </tr>
          </thead>
          <tbody>
            <tr data-server="primary">
              <td>primary</td>
              <td>{primary.ok ? "yes" : "NO"}</td>
              <td>WAL at {primary.lsn ?? "?"}</td>
              <td>writes, and reads that must see a write</td>
              <td />
            </tr>
            {replicas.map((r) => (
              <tr data-server={r.name} data-healthy={String(r.healthy)}>
                <td>{r.name}</td>
                <td>{r.ok ? "yes" : "NO"}</td>
                <td>{lag(r.lagBytes, r.lagSeconds)}</td>
                <td>{r.healthy ? "yes" : "no: ejected"}</td>
                <td>{r.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Wide>
      {replicas.length === 0 ? <p>No read replicas configured: every read goes to the primary.</p> : null}
      <p data-db-writes={props.readOnly ? "refused" : "accepted"}>
        Writes:{" "}
        {props.readOnly
          ? "refused. The site is read-only, so every transaction is opened read-only and Postgres itself refuses a write that slips past the edge."
          : "accepted."}
      </p>
      <p>
        A replica lagging too far, or not answering, is ejected (reads go elsewhere) and taken back once it
        has caught up. The footer shows the round trips this page made, per pool.
      </p>
    </>
  );
}

export const consoleDatabase = new Hono<ConsoleApp>().get("/admin/database", async (c) => {
  const config = c.get("config");
  const [snapshot, readOnly] = await Promise.all([
    healthProbe(config).measure(),
    readOnlySwitch(config).get(),
  ]);
  return page(
    c,
    { title: "Database", section: "database" },
    <DatabasePage health={toHealthz(snapshot)} readOnly={c.get("edge").readOnly || readOnly.on} />,
  );
});
