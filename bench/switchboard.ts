// Bench: how long a switch changed with the CLI takes to reach every edge location, and what the switchboard object
// pays for it. K copies of the real edge in one workerd, each its own isolate, spread over L locations (each
// location its own Cache API copy), all bound to the real switchboard object; every copy serves cache hits
// non-stop meanwhile. Usage: npx tsx bench/switchboard.ts  (env: BENCH_EDGES=6 BENCH_LOCATIONS=3 BENCH_TRIALS=8)
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type EdgeVariant, startEdgeStack } from "./lib/edge-stack.ts";
import { median, table } from "./lib/stats.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EDGES = Number(process.env.BENCH_EDGES ?? 6);
const LOCATIONS = Number(process.env.BENCH_LOCATIONS ?? 3);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 8);
const TOKEN = "bench-admin-token-0123456789abcdef";
const PAGE = "/events";
/** The production defaults the edges run with (shared/env/edge.ts): the paper bound is their sum plus a call. */
const MEMORY_MS = 2_000;
const LOCATION_MS = 1_000;

type Seen = { at: number; on: boolean };

const copies: EdgeVariant[] = Array.from({ length: EDGES }, (_, i) => ({
  name: `edge-${i}`,
  // Each location has its own Cache API; isolates of one location share it (bench-only: the name is patched).
  patches: [
    {
      find: /`\$\{(?<site>[\w$]+)\.name\}:switchboard`/,
      replace: `\`\${$<site>.name}:switchboard:loc${i % LOCATIONS}\``,
    },
  ],
}));

/** Every copy serves hits continuously (as live traffic does) and records when it showed which state. */
function poll(url: string, seen: Seen[], stop: { done: boolean }): Promise<void> {
  return (async () => {
    while (!stop.done) {
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        seen.push({ at: Date.now(), on: res.headers.get("x-read-only") === "on" });
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  })();
}

/** `npm run readonly -- on|off` against one edge, as a person runs it; resolves with the CLI's wall time. */
function cli(edge: string, on: boolean): Promise<number> {
  const started = Date.now();
  const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
  const args = [tsx, "scripts/readonly.ts", on ? "on" : "off", "--url", edge, "--token", TOKEN];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    child.on("exit", (code) =>
      code === 0 ? resolve(Date.now() - started) : reject(new Error(`CLI ${code}`)),
    );
  });
}

/** When the switchboard committed the change: its audit row (same machine clock as the pollers). */
async function committedAt(edge: string): Promise<number> {
  const res = await fetch(new URL("/_admin/readonly/audit?limit=1", edge), {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const { entries } = (await res.json()) as { entries: { at: string }[] };
  return Date.parse(entries[0]?.at ?? "");
}

async function objectReads(host: URL): Promise<number> {
  return ((await (await fetch(host)).json()) as { reads: number }).reads;
}

const ms = (n: number) => `${Math.round(n)} ms`;

async function main(): Promise<void> {
  console.log(
    `switchboard propagation: ${EDGES} edge isolates over ${LOCATIONS} locations, ${TRIALS} CLI changes, ` +
      `isolate memory ${MEMORY_MS} ms + location copy ${LOCATION_MS} ms (the production defaults)`,
  );
  const stack = await startEdgeStack({
    origin: { cacheControl: "public, s-maxage=600", delayMs: 0 },
    variants: copies,
  });
  const stop = { done: false };
  try {
    if (stack.skipped.length > 0) throw new Error(`edge copies not made: ${stack.skipped.join("; ")}`);
    const edges = copies.map((c) => new URL(PAGE, stack.urls.get(c.name)).href);
    const host = stack.urls.get("switchboard");
    const admin = stack.urls.get("edge")?.href ?? "";
    if (!host || !admin) throw new Error("the switchboard host or the admin edge has no socket");
    await cli(admin, false);
    const seen = edges.map(() => [] as Seen[]);
    const pollers = edges.map((url, i) => poll(url, seen[i] ?? [], stop));
    await new Promise((r) => setTimeout(r, 3_000));

    const rows: string[][] = [];
    const perEdge: number[] = [];
    const everyEdge: number[] = [];
    const readsBefore = await objectReads(host);
    const measuredFrom = Date.now();
    for (let t = 0; t < TRIALS; t++) {
      const on = t % 2 === 0;
      // A random phase against the isolates' and locations' refresh cycles, as a person's change would have.
      await new Promise((r) => setTimeout(r, Math.random() * 2_000));
      const wall = await cli(admin, on);
      const commit = await committedAt(admin);
      const deadline = Date.now() + 15_000;
      let delays: number[] = [];
      while (Date.now() < deadline) {
        delays = seen.map((s) => (s.find((x) => x.at >= commit && x.on === on)?.at ?? Number.NaN) - commit);
        if (delays.every((d) => !Number.isNaN(d))) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      if (delays.some((d) => Number.isNaN(d)))
        throw new Error(`trial ${t + 1}: not every edge showed it in 15 s`);
      perEdge.push(...delays);
      everyEdge.push(Math.max(...delays));
      rows.push([
        String(t + 1),
        on ? "on" : "off",
        ms(wall),
        ms(Math.min(...delays)),
        ms(median(delays)),
        ms(Math.max(...delays)),
      ]);
    }
    const seconds = (Date.now() - measuredFrom) / 1000;
    const reads = (await objectReads(host)) - readsBefore;
    stop.done = true;
    await Promise.all(pollers);
    const requests = seen.reduce((n, s) => n + s.length, 0);

    console.log();
    console.log(
      table(
        ["trial", "switch", "CLI wall time", "first edge", "median edge", "last edge (every edge)"],
        rows,
      ),
    );
    console.log();
    console.log(
      `commit → edge serving it, over ${perEdge.length} (trial, edge) pairs: min ${ms(Math.min(...perEdge))}, ` +
        `median ${ms(median(perEdge))}, max ${ms(Math.max(...perEdge))}; every edge: median ${ms(median(everyEdge))}, ` +
        `max ${ms(Math.max(...everyEdge))} (paper bound ${ms(MEMORY_MS + LOCATION_MS + 500)} + a refresh)`,
    );
    console.log(
      `switchboard object: ${reads} reads in ${seconds.toFixed(1)} s = ${(reads / seconds).toFixed(2)}/s, ` +
        `${(reads / seconds / LOCATIONS).toFixed(2)}/s per location (${EDGES / LOCATIONS} isolates each), ` +
        `while the edges served ${requests} hits`,
    );
    console.log(
      `\nRESULT: a CLI change reached all ${EDGES} edges in median ${ms(median(everyEdge))}, max ` +
        `${ms(Math.max(...everyEdge))} (per edge min/median/max ${ms(Math.min(...perEdge))}/${ms(median(perEdge))}/` +
        `${ms(Math.max(...perEdge))}); ${(reads / seconds / LOCATIONS).toFixed(2)} object reads/s per location`,
    );
  } finally {
    stop.done = true;
    await stack.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(`switchboard bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
