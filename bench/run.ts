// `npm run bench`: runs every bench in turn, each in its own process, then prints one summary; non-zero if any failed.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Bench {
  file: string;
  what: string;
}

const BENCHES: readonly Bench[] = [
  { file: "bench/flags.bench.ts", what: "flag evaluation vs unleash-client" },
  { file: "bench/flags-regex.ts", what: "REGEX engines: size, typical and hostile patterns" },
  { file: "bench/datacache-stampede.ts", what: "object cache stampede + counters (Redis)" },
  { file: "bench/edge-cache.ts", what: "edge cache hits vs a bare Worker (req/s)" },
  { file: "bench/switchboard.ts", what: "a switch change from the CLI to every edge location; object reads" },
  {
    file: "bench/edge-zipf.ts",
    what: "the edge under a Zipf mix with misses and signed-in visitors vs a bare Worker",
  },
  { file: "bench/edge-stampede.ts", what: "edge stampede: origin fetches for 500 requests" },
  { file: "bench/jobs-throughput.ts", what: "jobs/s through the local queue (batch 10 and 100)" },
  { file: "bench/search.ts", what: "search: ILIKE vs full-text, SQL vs Redis facets; edge hit ratio (Zipf)" },
];

interface Outcome {
  bench: Bench;
  code: number | null;
  seconds: number;
  /** Lines the bench marked as its verdict (`RESULT: …`). */
  results: string[];
}

let current: ReturnType<typeof spawn> | null = null;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    // The child cleans up its own workers and servers on the same signal; wait for it rather than orphan them.
    current?.kill(signal);
    process.exitCode = 130;
  });
}

function runOne(bench: Bench): Promise<Outcome> {
  const started = performance.now();
  const results: string[] = [];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, bench.file)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    current = child;
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trimStart().startsWith("RESULT")) results.push(line.trim());
    });
    child.on("close", (code) => {
      current = null;
      resolve({ bench, code, seconds: (performance.now() - started) / 1000, results });
    });
  });
}

async function main(): Promise<void> {
  const outcomes: Outcome[] = [];
  for (const bench of BENCHES) {
    console.log(`\n=== ${bench.file} — ${bench.what}\n`);
    outcomes.push(await runOne(bench));
    if (process.exitCode === 130) break;
  }
  console.log("\n=== summary\n");
  for (const o of outcomes) {
    const status = o.code === 0 ? "ok    " : `FAILED (exit ${o.code ?? "signal"})`;
    console.log(
      `${status}  ${o.bench.file.padEnd(30)} ${o.seconds.toFixed(0).padStart(4)} s  ${o.bench.what}`,
    );
    for (const r of o.results) console.log(`        ${r}`);
  }
  const failed = outcomes.filter((o) => o.code !== 0).length;
  if (failed > 0 || outcomes.length < BENCHES.length) {
    console.log(`\n${failed} of ${BENCHES.length} benches failed or did not run`);
    process.exitCode = process.exitCode === 130 ? 130 : 1;
  }
}

await main();
