// Bench: the edge under a realistic mix — 1,000 cached pages asked for by a Zipf law, a few % misses and a few %
// signed-in visitors — against a bare Worker given the very same requests, side by side in one workerd.
// Usage: npx tsx bench/edge-zipf.ts   (env: BENCH_ROUNDS=5 BENCH_SECONDS=5 BENCH_CONNECTIONS=50)
import { startEdgeStack } from "./lib/edge-stack.ts";
import { type MixedResult, runMixedLoad } from "./lib/mixed-load.ts";
import { originStats, probe, resetOrigin } from "./lib/probe.ts";
import { formatMs, formatRate, median, table } from "./lib/stats.ts";
import { MISS_SHARE, mixedRequests, PAGES, page, RETURNING_SHARE, SIGNED_IN_SHARE } from "./lib/zipf-load.ts";

const GOALS = { rate: 0.7, hitP99: 1.5 };

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
  const stack = await startEdgeStack({ origin: { cacheControl: "public, s-maxage=3600", delayMs: 0 } });
  try {
    const edge = stack.urls.get("edge");
    const bare = stack.urls.get("bare");
    const origin = stack.urls.get("origin");
    if (!edge || !bare || !origin) throw new Error("the stack is missing a Worker");
    await prime(edge);
    let run = 0;
    const load = (url: URL) =>
      runMixedLoad({
        url: url.href,
        requests: mixedRequests(run++),
        connections: plan.connections,
        seconds: plan.seconds,
      });
    await load(edge);
    await load(bare);
    stack.takeLogs();
    await resetOrigin(origin);
    const results = { edge: [] as MixedResult[], bare: [] as MixedResult[] };
    for (let round = 1; round <= plan.rounds; round++) {
      const order = round % 2 === 1 ? (["edge", "bare"] as const) : (["bare", "edge"] as const);
      for (const name of order) {
        const r = await load(name === "edge" ? edge : bare);
        results[name].push(r);
        console.log(
          `  round ${round}  ${name.padEnd(5)} ${formatRate(r.perSecond).padStart(8)} req/s  p99 ${formatMs(r.all.p99Ms)}` +
            (name === "edge"
              ? `  hits ${(hitRatio(r) * 100).toFixed(1)} %, hit p99 ${formatMs(r.hits.p99Ms)}`
              : ""),
        );
      }
    }
    const stats = await originStats(origin);
    report(results.edge, results.bare, stats.fetches, stats.lookups, stack.takeLogs().length);
  } finally {
    await stack.dispose();
  }
}

function report(
  edge: MixedResult[],
  bare: MixedResult[],
  fetches: number,
  lookups: number,
  logLines: number,
) {
  const med = (list: MixedResult[], f: (r: MixedResult) => number) => median(list.map(f));
  const rateRatio = median(edge.map((e, i) => e.perSecond / (bare[i]?.perSecond ?? Number.NaN)));
  const bareP99 = med(bare, (r) => r.all.p99Ms);
  const hitP99 = med(edge, (r) => r.hits.p99Ms);
  console.log();
  console.log(
    table(
      [
        "target",
        "req/s (median)",
        "rounds min–max",
        "p50",
        "p99",
        "hit ratio",
        "hit p50",
        "hit p99",
        "errors",
      ],
      [
        ["bare Worker", bare],
        ["edge", edge],
      ].map(([label, list]) => {
        const l = list as MixedResult[];
        const rates = l.map((r) => r.perSecond);
        const isEdge = label === "edge";
        return [
          label as string,
          formatRate(median(rates)),
          `${formatRate(Math.min(...rates))}–${formatRate(Math.max(...rates))}`,
          formatMs(med(l, (r) => r.all.p50Ms)),
          formatMs(med(l, (r) => r.all.p99Ms)),
          isEdge ? `${(med(l, hitRatio) * 100).toFixed(1)} %` : "-",
          isEdge ? formatMs(med(l, (r) => r.hits.p50Ms)) : "-",
          isEdge ? formatMs(hitP99) : "-",
          String(
            l.reduce((n, r) => n + r.errors + Object.values(r.kinds).reduce((m, k) => m + k.non2xx, 0), 0),
          ),
        ];
      }),
    ),
  );
  console.log();
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
    `origin during the measured rounds: ${fetches} page fetches, ${lookups} identity lookups (RPC)`,
  );
  if (logLines > 0) console.log(`workerd printed ${logLines} distinct log lines during the run`);
  const verdict = (ok: boolean) => (ok ? "meets" : "below");
  console.log(
    `\nRESULT: edge ${rateRatio.toFixed(2)}× bare req/s (${verdict(rateRatio >= GOALS.rate)} goal ≥ ${GOALS.rate}×), ` +
      `hit p99 ${formatMs(hitP99)} = ${(hitP99 / bareP99).toFixed(2)}× bare p99 ${formatMs(bareP99)} ` +
      `(${verdict(hitP99 / bareP99 <= GOALS.hitP99)} goal ≤ ${GOALS.hitP99}×), hit ratio ` +
      `${(median(edge.map(hitRatio)) * 100).toFixed(1)} %`,
  );
}

main().catch((e: unknown) => {
  console.error(`edge-zipf bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
