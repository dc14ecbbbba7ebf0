// Bench: jobs/s through the local queue: real createEnqueue → miniflare queue → createConsumer.
// Usage: npx tsx bench/jobs-throughput.ts   (env: BENCH_ROUNDS=3 BENCH_JOBS=1000,10000)
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { unstable_readConfig } from "wrangler";
import { benchMiniflare } from "./lib/miniflare.ts";
import { formatMs, formatRate, median, table } from "./lib/stats.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = (process.env.BENCH_JOBS ?? "1000,10000").split(",").map(Number);
/** max_batch_size 10 is what workers/jobs/wrangler.toml deploys; 100 is the platform's maximum. */
const BATCH_SIZES = [10, 100] as const;
const BATCH_TIMEOUT_S = 0.05;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// The Workers, bundled from these sources with esbuild: they import the real shared/jobs, resolved from ROOT.
// Dates come from workerd's clock (one process, one wall clock); it only advances on I/O, so a consumer's
// `lastDoneAt` is when the last batch arrived: its few ms of CPU are left out.
const SOURCES: Readonly<Record<string, string>> = {
  "bench:registry": `
    import * as z from "zod/mini";
    import { createRegistry, defineJob } from "./shared/jobs/index.ts";
    export const benchRegistry = (onRun: () => void) => createRegistry(defineJob({
      name: "bench-tick",
      schema: z.object({ run: z.string(), i: z.number().check(z.int(), z.gte(0)) }),
      writes: false,
      handler: async () => onRun(),
    }));`,
  "bench:producer": `
    import { createEnqueue } from "./shared/jobs/index.ts";
    import { benchRegistry } from "bench:registry";
    const send = createEnqueue(benchRegistry(() => {}));
    export default {
      async fetch(req: Request, env: Record<string, Queue>) {
        const url = new URL(req.url);
        const n = Number(url.searchParams.get("n"));
        const queue = env[url.searchParams.get("queue") ?? ""];
        if (req.method !== "POST" || url.pathname !== "/enqueue" || !queue || !(n > 0))
          return new Response("POST /enqueue?n=N&queue=BINDING", { status: 400 });
        const run = url.searchParams.get("run") ?? "";
        const startedAt = Date.now();
        // createEnqueue sends one message at a time; collect its validated envelopes, send them 100 at once.
        const out: { body: unknown }[] = [];
        const collect = { send: async (body: unknown) => { out.push({ body }); } };
        for (let i = 0; i < n; i++) await send(collect, "bench-tick", { run, i });
        for (let i = 0; i < out.length; i += 100) await queue.sendBatch(out.slice(i, i + 100));
        return Response.json({ startedAt, sentAt: Date.now() });
      },
    };`,
  "bench:consumer": `
    import { createConsumer } from "./shared/jobs/index.ts";
    import { MemoryDeadJobs, MemoryLedger } from "./shared/testing/index.ts";
    import { benchRegistry } from "bench:registry";
    const fresh = () =>
      ({ handled: 0, done: 0, other: {} as Record<string, number>, batches: 0, lastDoneAt: 0 });
    let stats = fresh();
    let ledger = new MemoryLedger();
    const dead = new MemoryDeadJobs();
    const consume = createConsumer(benchRegistry(() => { stats.handled++; }), (env: { JOBS: Queue }) => ({
      ledger, dead, queue: env.JOBS, services: {},
      log: (e: { outcome: string }) => {
        if (e.outcome === "done") { stats.done++; stats.lastDoneAt = Date.now(); }
        else stats.other[e.outcome] = (stats.other[e.outcome] ?? 0) + 1;
      },
    }));
    export default {
      async queue(batch: MessageBatch, env: { JOBS: Queue }, ctx: ExecutionContext) {
        stats.batches++;
        await consume(batch, env, ctx);
      },
      async fetch(req: Request) {
        if (req.method === "POST") { stats = fresh(); ledger = new MemoryLedger(); }
        return Response.json(stats);
      },
    };`,
};

const virtualSources: Plugin = {
  name: "bench-sources",
  setup(b) {
    b.onResolve({ filter: /^bench:/ }, (a) => ({ path: a.path, namespace: "bench" }));
    b.onLoad({ filter: /.*/, namespace: "bench" }, (a) => ({
      contents: SOURCES[a.path] ?? "",
      loader: "ts",
      resolveDir: ROOT,
    }));
  },
};

interface ConsumerStats {
  handled: number;
  done: number;
  other: Record<string, number>;
  batches: number;
  lastDoneAt: number;
}

interface RunResult {
  enqueuePerS: number;
  jobsPerS: number;
  batches: number;
  /** Node's view, to check workerd's clock: the POST's round trip, and until a poll saw every job done. */
  nodeEnqueueMs: number;
  nodeTotalMs: number;
  problem: string | null;
}

interface Stack {
  producer: URL;
  consumers: ReadonlyMap<number, URL>;
  logs: Map<string, number>;
  dispose(): Promise<void>;
}

async function startStack(tmp: string): Promise<Stack> {
  await build({
    entryPoints: { producer: "bench:producer", consumer: "bench:consumer" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    external: ["node:*", "cloudflare:*"],
    outdir: tmp,
    logLevel: "error",
    plugins: [virtualSources],
  });
  const config = unstable_readConfig({ config: path.join(ROOT, "workers/jobs/wrangler.toml") });
  const runtime = {
    compatibilityDate: config.compatibility_date ?? "2026-10-20",
    compatibilityFlags: config.compatibility_flags,
    modules: true,
    modulesRoot: tmp,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  };
  const queueOf = (size: number) => `bench-jobs-b${size}`;
  const workers = [
    {
      ...runtime,
      name: "producer",
      scriptPath: path.join(tmp, "producer.js"),
      queueProducers: Object.fromEntries(BATCH_SIZES.map((s) => [`JOBS_B${s}`, queueOf(s)])),
    },
    ...BATCH_SIZES.map((size) => ({
      ...runtime,
      name: `consumer-b${size}`,
      scriptPath: path.join(tmp, "consumer.js"),
      // Like the real consumer: it holds the producer of its own queue (held jobs are re-sent as copies).
      queueProducers: { JOBS: queueOf(size) },
      queueConsumers: {
        [queueOf(size)]: { maxBatchSize: size, maxBatchTimeout: BATCH_TIMEOUT_S, maxRetries: 5 },
      },
    })),
  ];
  const { mf, logs } = benchMiniflare(workers);
  try {
    await mf.ready;
    const consumers = new Map<number, URL>();
    for (const size of BATCH_SIZES) consumers.set(size, await mf.unsafeGetDirectURL(`consumer-b${size}`));
    return {
      producer: await mf.unsafeGetDirectURL("producer"),
      consumers,
      logs,
      dispose: () => mf.dispose(),
    };
  } catch (e) {
    await mf.dispose();
    throw e;
  }
}

async function json<T>(url: URL | string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${String(url)}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function measure(stack: Stack, size: number, n: number, run: string): Promise<RunResult> {
  const consumer = stack.consumers.get(size);
  if (!consumer) throw new Error(`no consumer for batch size ${size}`);
  await json(consumer, { method: "POST" });
  const url = new URL(`/enqueue?n=${n}&queue=JOBS_B${size}&run=${run}`, stack.producer);
  const t0 = performance.now();
  const sent = await json<{ startedAt: number; sentAt: number }>(url, { method: "POST" });
  const nodeEnqueueMs = performance.now() - t0;
  // A lost job would hang forever; allow far more than the slowest expected drain (~1 ms per job).
  const deadline = Date.now() + 30_000 + n * 10;
  let s = await json<ConsumerStats>(consumer);
  while (s.done + Object.values(s.other).reduce((a, b) => a + b, 0) < n && Date.now() < deadline) {
    await sleep(25);
    s = await json<ConsumerStats>(consumer);
  }
  const nodeTotalMs = performance.now() - t0;
  const others = Object.entries(s.other).map(([k, v]) => `${v} ${k}`);
  const problem =
    s.done === n && s.handled === n && others.length === 0
      ? null
      : `${s.done}/${n} done, ${s.handled} handler runs${others.length ? `, ${others.join(", ")}` : ""}`;
  return {
    enqueuePerS: n / (Math.max(1, sent.sentAt - sent.startedAt) / 1000),
    // An incomplete run reports the rate of the jobs that did finish (and its problem).
    jobsPerS: s.done === 0 ? 0 : s.done / (Math.max(1, s.lastDoneAt - sent.startedAt) / 1000),
    batches: s.batches,
    nodeEnqueueMs,
    nodeTotalMs,
    problem,
  };
}

async function main(): Promise<void> {
  console.log(
    `jobs throughput bench: N = ${SIZES.join(", ")}; max_batch_size ${BATCH_SIZES.join(" and ")}, ` +
      `max_batch_timeout ${BATCH_TIMEOUT_S} s; ${ROUNDS} rounds; sendBatch in chunks of 100`,
  );
  const tmp = await mkdtemp(path.join(tmpdir(), "bench-jobs-"));
  let stack: Stack | null = null;
  // workerd is miniflare's child process: dispose it rather than leave it running after an interrupt.
  const stop = () => void (stack?.dispose() ?? Promise.resolve()).finally(() => process.exit(130));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    stack = await startStack(tmp);
    // Warm-up: isolate start-up, zod's first parses and the queue brokers' first batch are not measured.
    for (const size of BATCH_SIZES) await measure(stack, size, 200, "warm");
    const cases = SIZES.flatMap((n) => BATCH_SIZES.map((size) => ({ n, size, runs: [] as RunResult[] })));
    // Every round visits every case, so a noisy moment on the two cores does not land on one case only.
    for (let round = 1; round <= ROUNDS; round++) {
      for (const c of cases) {
        const r = await measure(stack, c.size, c.n, `r${round}`);
        c.runs.push(r);
        console.log(
          `round ${round}: batch ${c.size}, N ${c.n}: ${formatRate(r.jobsPerS)} jobs/s end to end, ` +
            `enqueue ${formatRate(r.enqueuePerS)} jobs/s, ${r.batches} batches; ` +
            `Node saw ${formatMs(r.nodeEnqueueMs)} / ${formatMs(r.nodeTotalMs)}` +
            (r.problem ? `  PROBLEM: ${r.problem}` : ""),
        );
      }
    }
    const rows = cases.map((c) => {
      const rates = c.runs.map((r) => r.jobsPerS);
      return [
        `batch ${c.size}, N ${c.n}`,
        formatRate(median(rates)),
        `${formatRate(Math.min(...rates))}–${formatRate(Math.max(...rates))}`,
        formatRate(median(c.runs.map((r) => r.enqueuePerS))),
        (c.n / median(c.runs.map((r) => r.batches))).toFixed(1),
      ];
    });
    console.log();
    console.log(table(["case", "jobs/s (median)", "min–max", "enqueue jobs/s", "jobs per batch"], rows));
    const problems = cases.flatMap((c) => c.runs.flatMap((r) => (r.problem ? [r.problem] : [])));
    const logs = [...stack.logs].filter(([line]) => !line.startsWith("info") && !line.startsWith("debug"));
    for (const [line, count] of logs) console.log(`workerd log ×${count}: ${line}`);
    const summary = cases.map(
      (c) => `b${c.size}/N${c.n} ${formatRate(median(c.runs.map((r) => r.jobsPerS)))}`,
    );
    console.log(
      `\nRESULT: jobs/s end to end (median of ${ROUNDS}): ${summary.join(", ")}; enqueue ` +
        `${formatRate(median(cases.flatMap((c) => c.runs.map((r) => r.enqueuePerS))))} jobs/s; ` +
        `${problems.length === 0 ? "every job done once" : `${problems.length} runs incomplete`}`,
    );
  } finally {
    await stack?.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(
    `jobs-throughput bench setup failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
  );
  process.exitCode = 1;
});
