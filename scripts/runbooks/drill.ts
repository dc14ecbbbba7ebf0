// Timed drills of the runbooks on the local stack (docs/runbooks/): `npx tsx scripts/runbooks/drill.ts move`
// (read-only, copy to a new server, repoint, leave read-only) or `… restore` (back up, lose rows, restore, repoint).
// Starts its own stack and Workers (stop `npm run dev` first: they share the Workers' .dev.vars files).
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { buildAssets } from "../build-assets.ts";
import { copyDatabase } from "../db/copy.ts";
import { startTestPostgres } from "../db/test-postgres.ts";
import { startWorkers } from "../lib/workers.ts";
import { DEV_PORTS, startStack } from "../stack/index.ts";
import { toDevVars, workerVars } from "../stack/worker-vars.ts";

const root = resolve(import.meta.dirname, "../..");
const started = performance.now();
const times: [string, number][] = [];
const say = (line: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await work();
  times.push([label, performance.now() - t]);
  say(`${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return out;
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

/** The readonly CLI, as the operator runs it. */
function readonly(edgeUrl: string, token: string, ...args: string[]): void {
  const r = spawnSync("npx", ["tsx", "scripts/readonly.ts", ...args, "--url", edgeUrl, "--token", token], {
    cwd: root,
    encoding: "utf8",
  });
  if (r.status !== 0)
    throw new Error(`readonly ${args.join(" ")}: ${r.stderr || r.stdout} [token ${token.slice(0, 6)}]`);
}

async function main() {
  const which = process.argv[2];
  if (which !== "move" && which !== "restore") throw new Error("usage: drill.ts move|restore");
  await buildAssets({
    source: join(root, "workers/edge/static"),
    out: join(root, ".build/assets"),
    manifest: join(root, ".build/manifest.json"),
  });
  const dataDir = join(root, ".data", "drill");
  rmSync(dataDir, { recursive: true, force: true });
  const stack = await startStack({ dataDir, ports: DEV_PORTS, fallbackPorts: true, log: () => {}, env: {} });
  const port = 8797;
  const edgeUrl = `http://127.0.0.1:${port}`;
  const token = stack.secrets.adminToken;
  let vars = workerVars(stack, { edgeUrl, testHooks: false });
  const writeVars = () => {
    writeFileSync(join(root, ".dev.vars"), toDevVars(vars.edge));
    writeFileSync(join(root, "workers/origin/.dev.vars"), toDevVars(vars.origin));
    writeFileSync(join(root, "workers/jobs/.dev.vars"), toDevVars(vars.jobs));
  };
  writeVars();
  const persistTo = join(dataDir, "wrangler");
  let workers = await startWorkers({ port, persistTo, log: () => {} });
  say(`stack and Workers up on ${edgeUrl} (seeded)`);
  const newServer = which === "move" ? await startTestPostgres() : null;
  try {
    const [talk] = await sql<{ id: number; path: string }>(
      stack.primaryUrl,
      "SELECT t.id, '/events/' || e.slug || '/talks/' || t.slug AS path FROM talks t JOIN events e ON e.id = t.event_id ORDER BY t.id LIMIT 1",
    );
    if (!talk) throw new Error("no seeded talk");
    const comment = (body: string) =>
      fetch(`${edgeUrl}/talks/${talk.id}/comments`, {
        method: "POST",
        headers: {
          cookie: "sid=dev-session-ada",
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify({ body }),
      });
    for (let i = 0; i < 5; i++) {
      const r = await comment(`before the drill ${i}`);
      if (r.status !== 201) throw new Error(`cannot comment: ${r.status} ${await r.text()}`);
    }
    // Volume, so the copy's rate means something: N extra comments (drill.ts move|restore [rows]).
    const extra = Number(process.argv[3] ?? "100000");
    await sql(
      stack.primaryUrl,
      `INSERT INTO comments (talk_id, author, body) SELECT ${talk.id}, 'Drill', 'comment ' || g FROM generate_series(1, ${extra}) g`,
    );
    say(`${extra} more comments written (${which} drill volume)`);
    const count = async (url: string) =>
      Number((await sql<{ n: string }>(url, "SELECT count(*) AS n FROM comments"))[0]?.n);
    /** Points origin and jobs at another database and restarts the Workers (production: npm run secrets). */
    const repoint = async (primary: string, replicas: string) => {
      vars = {
        ...vars,
        origin: { ...vars.origin, DATABASE_URL: primary, REPLICA_URLS: replicas },
        jobs: { ...vars.jobs, DATABASE_URL: primary, REPLICA_URLS: replicas },
      };
      writeVars();
      await workers.stop();
      workers = await startWorkers({ port, persistTo, log: () => {} });
    };

    if (which === "move" && newServer) {
      const target = newServer.url.replace(/\/postgres$/, "/site");
      say(`new server ready: ${new URL(target).host} (prepared before the window opens)`);
      const windowStart = performance.now();
      await timed("1. read-only on (CLI, until writes get 503)", async () => {
        readonly(edgeUrl, token, "on", "--reason", "moving the database", "--retry-after", "300");
        await until("writes refused", async () => (await comment("during the move")).status === 503);
      });
      const copied = await timed("2. copy (migrate the new database, rows, sequences, counts)", () =>
        copyDatabase(stack.primaryUrl, target, { create: true, log: () => {} }),
      );
      const rows = copied.tables.reduce((n, t) => n + t.rows, 0);
      say(
        `   ${rows} rows in ${copied.tables.length} tables: ${Math.round(rows / (copied.ms / 1000))} rows/s`,
      );
      await timed("3. repoint origin and jobs, restart the Workers", () => repoint(target, ""));
      await timed("4. read-only off (CLI, until a write succeeds)", async () => {
        readonly(edgeUrl, token, "off");
        await until("writes accepted", async () => (await comment("after the move")).status === 201);
      });
      say(`read-only window: ${((performance.now() - windowStart) / 1000).toFixed(1)} s`);
      const [onNew, onOld] = [await count(target), await count(stack.primaryUrl)];
      say(
        `comments: new server ${onNew}, old server ${onOld} (the write after the move landed on the new one only)`,
      );
      if (onNew !== onOld + 1)
        throw new Error("the new server does not have exactly the old rows plus the new write");
    } else {
      const backup = stack.primaryUrl.replace(/\/[^/]+$/, "/site_backup");
      const restored = stack.primaryUrl.replace(/\/[^/]+$/, "/site_restored");
      const before = await count(stack.primaryUrl);
      await timed("backup (copy to site_backup; Neon keeps this history itself)", () =>
        copyDatabase(stack.primaryUrl, backup, { create: true, log: () => {} }),
      );
      await sql(stack.primaryUrl, "DELETE FROM comments");
      say(`incident: every comment deleted (${before} → ${await count(stack.primaryUrl)})`);
      const windowStart = performance.now();
      await timed("1. restore: copy the backup to a new database (Neon: branch at the time)", () =>
        copyDatabase(backup, restored, { create: true, log: () => {} }),
      );
      await timed("2. repoint origin and jobs, restart the Workers", () => repoint(restored, ""));
      await timed("3. verify through the site (a write, then the counts)", async () => {
        await until("writes accepted", async () => (await comment("after the restore")).status === 201);
      });
      const after = await count(restored);
      say(
        `recovery: ${((performance.now() - windowStart) / 1000).toFixed(1)} s; comments ${after} (${before} restored + 1 new)`,
      );
      if (after !== before + 1) throw new Error("the restored database does not have the backed-up rows");
    }
  } finally {
    await workers.stop();
    await newServer?.stop();
    await stack.stop();
    for (const f of [".dev.vars", "workers/origin/.dev.vars", "workers/jobs/.dev.vars"])
      rmSync(join(root, f), { force: true });
  }
  console.log("\nstep timings:");
  for (const [label, ms] of times) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${label}`);
}

main().catch((e: unknown) => {
  console.error(`drill failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
