// Bench: the edge under a realistic mix — 1,000 cached pages asked for by a Zipf law, a few % misses and a few %
// signed-in visitors — against a bare Worker and a floor Worker given the very same requests, side by side in one
// workerd.
// Usage: npx tsx bench/edge-zipf.ts   (env: BENCH_ROUNDS=5 BENCH_SECONDS=5 BENCH_CONNECTIONS=50)
import { startEdgeStack } from "./lib/edge-stack.ts";
import { type MixedResult, runMixedLoad } from "./lib/mixed-load.ts";
import { originStats, probe, resetOrigin } from "./lib/probe.ts";
import { formatMs, formatRate, median, table } from "./lib/stats.ts";
import { MISS_SHARE, mixedRequests, PAGES, page, RETURNING_SHARE, SIGNED_IN_SHARE } from "./lib/zipf-load.ts";

const GOALS = { rate: 0.7, hitP99: 1.5 };
/** bare: the ceiling; floor: the least any cache in front of the origin does for this mix; edge: ours. */
const TARGETS = ["edge", "bare", "floor"] as const;
type Target = (typeof TARGETS)[number];

const plan = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
};

async function prime(base: URL): Promise<void> {
  const ranks = Array.from({ length: PAGES }, (_, i) => i);
  for (let i = 0; i < ranks.length; i += 25) {
    await Promise.all(ranks.slice(i, i + 25).map((r) => probe(new URL(page(r), base).href)));
  }
  const check = await probe(new URL(page(PAGES - 1), base).href);
  if (!check.cacheStatus?.includes("hit")) throw new Error(`not a hit after priming: ${check.cacheStatus}`);
}

const hitRatio = (r: MixedResult) => r.hits.count / r.all.count;

async function main(): Promise<void> {
  console.log(
    `edge mixed-load bench: ${PAGES} pages by Zipf(1), ${MISS_SHARE * 100} % misses, ${SIGNED_IN_SHARE * 100} % ` +
      `signed in, ${RETURNING_SHARE * 100} % of the rest returning; ${plan.rounds} rounds × ${plan.seconds} s per ` +
      `target, ${plan.connections} connections, load from a client thread`,
  );
  const stack = await startEdgeStack({
    origin: { cacheControl: "public, s-maxage=3600", delayMs: 0 },
    floorWorker: true,
  });
  try {
    const urls = new Map(TARGETS.map((t) => [t, stack.urls.get(t)] as const));
    const origin = stack.urls.get("origin");
    if (!origin || [...urls.values()].some((u) => !u)) throw new Error("the stack is missing a Worker");
    const url = (t: Target) => urls.get(t) as URL;
    await prime(url("edge"));
    await prime(url("floor"));
    let run = 0;
    const load = (t: Target) =>
      runMixedLoad({
        url: url(t).href,
        requests: mixedRequests(run++),
        connections: plan.connections,
        seconds: plan.seconds,
      });
    for (const t of TARGETS) await load(t);
    stack.takeLogs();
    await resetOrigin(origin);
    const results: Record<Target, MixedResult[]> = { edge: [], bare: [], floor: [] };
    for (let round = 1; round <= plan.rounds; round++) {
      // The starting target rotates and every other round runs backwards: none always follows the same one.
      const turned = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length] as Target);
      for (const t of round % 2 === 0 ? turned.reverse() : turned) {
        const r = await load(t);
        results[t].push(r);
        console.log(
          `  round ${round}  ${t.padEnd(5)} ${formatRate(r.perSecond).padStart(8)} req/s  p99 ${formatMs(r.all.p99Ms)}` +
            (t === "bare"
              ? ""
              : `  hits ${(hitRatio(r) * 100).toFixed(1)} %, hit p99 ${formatMs(r.hits.p99Ms)}`),
        );
      }
    }
    const stats = await originStats(origin);
    report(results, stats.fetches, stats.lookups, stack.takeLogs().length);
  } finally {
    await stack.dispose();
  }
}

const LABELS: Record<Target, string> = { bare: "bare Worker", floor: "floor Worker", edge: "edge" };

function report(results: Record<Target, MixedResult[]>, fetches: number, lookups: number, logLines: number) {
  const med = (list: MixedResult[], f: (r: MixedResult) => number) => median(list.map(f));
  const ratio = (t: Target) =>
    median(results[t].map((e, i) => e.perSecond / (results.bare[i]?.perSecond ?? Number.NaN)));
  const bareP99 = med(results.bare, (r) => r.all.p99Ms);
  const hitP99 = (t: Target) => med(results[t], (r) => r.hits.p99Ms);
  console.log();
  console.log(
    table(
      [
        "target",
        "req/s (median)",
        "vs bare",
        "rounds min–max",
        "p50",
        "p99",
        "hit ratio",
        "hit p50",
        "hit p99",
        "errors",
      ],
      (["bare", "floor", "edge"] as const).map((t) => {
        const l = results[t];
        const rates = l.map((r) => r.perSecond);
        const cached = t !== "bare";
        return [
          LABELS[t],
          formatRate(median(rates)),
          `${ratio(t).toFixed(2)}×`,
          `${formatRate(Math.min(...rates))}–${formatRate(Math.max(...rates))}`,
          formatMs(med(l, (r) => r.all.p50Ms)),
          formatMs(med(l, (r) => r.all.p99Ms)),
          cached ? `${(med(l, hitRatio) * 100).toFixed(1)} %` : "-",
          cached ? formatMs(med(l, (r) => r.hits.p50Ms)) : "-",
          cached ? formatMs(hitP99(t)) : "-",
          String(
            l.reduce((n, r) => n + r.errors + Object.values(r.kinds).reduce((m, k) => m + k.non2xx, 0), 0),
          ),
        ];
      }),
    ),
  );
  console.log();
  const edge = results.edge;
  const kinds = Object.keys(edge[0]?.kinds ?? {});
  console.log(
    table(
      ["edge, by kind of request", "share", "p50", "p99", "hit ratio"],
      kinds.map((k) => {
        const of = (r: MixedResult) => r.kinds[k];
        return [
          k,
          `${(med(edge, (r) => (of(r)?.count ?? 0) / r.all.count) * 100).toFixed(1)} %`,
          formatMs(med(edge, (r) => of(r)?.p50Ms ?? Number.NaN)),
          formatMs(med(edge, (r) => of(r)?.p99Ms ?? Number.NaN)),
          `${(med(edge, (r) => (of(r)?.hits ?? 0) / (of(r)?.count || 1)) * 100).toFixed(1)} %`,
        ];
      }),
    ),
  );
  console.log();
  console.log(
    `origin during the measured rounds (edge and floor together): ${fetches} page fetches, ${lookups} identity lookups (RPC)`,
  );
  if (logLines > 0) console.log(`workerd printed ${logLines} distinct log lines during the run`);
  const verdict = (ok: boolean) => (ok ? "meets" : "below");
  const rateRatio = ratio("edge");
  const p99Ratio = hitP99("edge") / bareP99;
  console.log(
    `\nRESULT: edge ${rateRatio.toFixed(2)}× bare req/s (${verdict(rateRatio >= GOALS.rate)} goal ≥ ${GOALS.rate}×), ` +
      `hit p99 ${formatMs(hitP99("edge"))} = ${p99Ratio.toFixed(2)}× bare p99 ${formatMs(bareP99)} ` +
      `(${verdict(p99Ratio <= GOALS.hitP99)} goal ≤ ${GOALS.hitP99}×), hit ratio ` +
      `${(median(edge.map(hitRatio)) * 100).toFixed(1)} %; the floor Worker ${ratio("floor").toFixed(2)}× bare, ` +
      `hit p99 ${(hitP99("floor") / bareP99).toFixed(2)}× bare`,
  );
}

main().catch((e: unknown) => {
  console.error(`edge-zipf bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
