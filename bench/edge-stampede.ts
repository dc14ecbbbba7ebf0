// Bench: 500 simultaneous requests for one cold URL, then for one expired URL in grace → origin fetches.
// Usage: npx tsx bench/edge-stampede.ts   (env: BENCH_STAMPEDE_N=500 BENCH_STAMPEDE_REPEAT=2)
import { type BurstReply, burst, summarise } from "./lib/burst.ts";
import { type EdgeStack, startEdgeStack } from "./lib/edge-stack.ts";
import { type OriginStats, originStats, probe, resetOrigin } from "./lib/probe.ts";
import { formatMs, percentile } from "./lib/stats.ts";

const N = Number(process.env.BENCH_STAMPEDE_N ?? 500);
const REPEAT = Number(process.env.BENCH_STAMPEDE_REPEAT ?? 2);
const ORIGIN_DELAY_MS = 100;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Outcome {
  label: string;
  originFetches: number;
  maxInFlight: number;
  /** ms after the burst began at which each origin fetch arrived. */
  startedAt: number[];
  replies: BurstReply[];
}

function edgeUrl(stack: EdgeStack, path: string): string {
  const base = stack.urls.get("edge");
  if (!base) throw new Error("edge has no socket");
  return new URL(path, base).href;
}

function originOf(stack: EdgeStack): URL {
  const origin = stack.urls.get("origin");
  if (!origin) throw new Error("origin stub has no socket");
  return origin;
}

const pick = (s: OriginStats) => ({
  originFetches: s.fetches,
  maxInFlight: s.maxInFlight,
  startedAt: s.startedAt,
});

async function cold(stack: EdgeStack, run: number): Promise<Outcome> {
  const url = edgeUrl(stack, `/talks/cold-${run}-${Date.now()}`);
  await resetOrigin(originOf(stack));
  const replies = await burst(url, N);
  // A refresh or store may still be finishing in waitUntil; give it the origin's delay twice over.
  await sleep(ORIGIN_DELAY_MS * 2);
  const stats = await originStats(originOf(stack));
  return { label: `cold URL, run ${run}`, ...pick(stats), replies };
}

async function grace(stack: EdgeStack, run: number): Promise<Outcome> {
  const url = edgeUrl(stack, `/short/grace-${run}-${Date.now()}`);
  const first = await probe(url);
  if (first.status !== 200) throw new Error(`could not fill ${url}: ${first.status} ${first.cacheStatus}`);
  // s-maxage=1: after 1.2 s the object is past its TTL, inside its 30 s of stale-while-revalidate.
  await sleep(1_200);
  await resetOrigin(originOf(stack));
  const replies = await burst(url, N);
  await sleep(ORIGIN_DELAY_MS * 3);
  const stats = await originStats(originOf(stack));
  return { label: `grace URL, run ${run}`, ...pick(stats), replies };
}

function report(o: Outcome): string {
  const s = summarise(o.replies, ORIGIN_DELAY_MS);
  const ms = o.replies.map((r) => r.ms);
  const lat = [50, 90, 99].map((p) => `p${p} ${formatMs(percentile(ms, p))}`).join(", ");
  return [
    `${o.label}: origin fetches ${o.originFetches} (goal 1), most at once ${o.maxInFlight}, ` +
      `arriving at +${o.startedAt.join(", +")} ms`,
    `  answers: ${s.ok} × 200, ${s.failed} failed; ${s.hits} hits, ${s.forwarded} forwarded, ` +
      `${s.collapsed} collapsed → ${s.waited} waited on origin`,
    `  latency: ${lat}, max ${formatMs(Math.max(...ms))}; ${s.slow} slower than the origin's ${ORIGIN_DELAY_MS} ms`,
  ].join("\n");
}

async function main(): Promise<void> {
  console.log(`edge stampede bench: ${N} simultaneous requests, origin takes ${ORIGIN_DELAY_MS} ms`);
  const stack = await startEdgeStack({
    origin: {
      cacheControl: "public, s-maxage=60",
      shortCacheControl: "public, s-maxage=1, stale-while-revalidate=30",
      delayMs: ORIGIN_DELAY_MS,
    },
  });
  try {
    // One request first so isolate start-up and the first KV reads are not part of the stampede.
    await probe(edgeUrl(stack, "/warm-up"));
    const outcomes: Outcome[] = [];
    for (let run = 1; run <= REPEAT; run++) {
      outcomes.push(await cold(stack, run));
      console.log(report(outcomes.at(-1) as Outcome));
      outcomes.push(await grace(stack, run));
      console.log(report(outcomes.at(-1) as Outcome));
    }
    const coldOk = outcomes.filter((o) => o.label.startsWith("cold")).every((o) => o.originFetches === 1);
    const graceOk = outcomes
      .filter((o) => o.label.startsWith("grace"))
      .every((o) => o.originFetches === 1 && summarise(o.replies, ORIGIN_DELAY_MS).waited === 0);
    const failed = outcomes.reduce((n, o) => n + summarise(o.replies, ORIGIN_DELAY_MS).failed, 0);
    console.log();
    console.log(`cold: ${coldOk ? "goal met" : "GOAL MISSED"} (1 origin fetch per stampede)`);
    console.log(`grace: ${graceOk ? "goal met" : "GOAL MISSED"} (1 background fetch, 0 requests waiting)`);
    if (failed > 0) console.log(`warning: ${failed} requests failed across the stampedes`);
    const fetches = (kind: string) =>
      outcomes
        .filter((o) => o.label.startsWith(kind))
        .map((o) => o.originFetches)
        .join("/");
    const waited = outcomes
      .filter((o) => o.label.startsWith("grace"))
      .map((o) => summarise(o.replies, ORIGIN_DELAY_MS).waited)
      .join("/");
    console.log(
      `\nRESULT: ${coldOk && graceOk && failed === 0 ? "ok" : "goals missed"}: origin fetches cold ${fetches("cold")}, ` +
        `grace ${fetches("grace")} (goal 1 each); waiting in grace ${waited} (goal 0); ${failed} failed`,
    );
    // Coalescing is correctness, not speed: a missed goal fails the bench (and `npm run bench`).
    process.exitCode = coldOk && graceOk && failed === 0 ? 0 : 1;
  } finally {
    await stack.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(
    `edge-stampede bench setup failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
  );
  process.exitCode = 1;
});
