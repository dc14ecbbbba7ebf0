// Bench: cache-hit req/s through the real edge Worker vs a bare Worker, side by side in one workerd.
// Usage: npx tsx bench/edge-cache.ts   (env: BENCH_ROUNDS=5 BENCH_SECONDS=5 BENCH_CONNECTIONS=50 BENCH_LOAD=node
// BENCH_BASELINE=<another checkout>: its edge too, e.g. the commit before a change, side by side in the same run)
import { cookieName } from "../shared/site/index.ts";
import { type EdgeStack, type EdgeVariant, startEdgeStack } from "./lib/edge-stack.ts";
import { detectLoadTool } from "./lib/load.ts";
import { isHit, originStats, probe } from "./lib/probe.ts";
import { measureRounds, type Target } from "./lib/rounds.ts";
import { formatMs, formatRate, table } from "./lib/stats.ts";

const PAGE = "/events";
const RETURNING = { cookie: `${cookieName("aid")}=00000000-0000-4000-8000-000000000000` };
/** Of the bare Worker's req/s, for new and returning visitors alike (medians of ≥ 5 rounds: one round is noise). */
const GOAL = 0.9;
/** Bench-only copies of the bundle: product code stays as it is; each find must match or the copy is skipped.
 * The bundle is minified as deployed (names mangled), so each find matches a shape, not a name. */
const VARIANTS: EdgeVariant[] = [
  // Every hit goes to the Cache API: what the edge would do without its in-isolate hot cache.
  {
    name: "edge-nohot",
    patches: [{ find: /(?<a>maxEntries:\s*)\d+(?<b>,\s*maxBytes:)/, replace: "$<a>0$<b>" }],
  },
  // The switches (flags, read-only) refreshed once a minute instead of every 2 s: the cost of the refreshes.
  { name: "edge-switch-once", patches: [], vars: { SWITCH_MEMORY_MS: "60000" } },
  // No switchboard bound: the switches come from KV alone (its fallback; it logs that it is falling back).
  { name: "edge-switch-kv", patches: [], withoutSwitchboard: true },
];
const plan = {
  tool: detectLoadTool(),
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  warmSeconds: 2,
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
};

function urlOf(stack: EdgeStack, worker: string, path = "/"): string {
  const base = stack.urls.get(worker);
  if (!base) throw new Error(`worker ${worker} has no socket`);
  return new URL(path, base).href;
}

/** Fills the cache, then proves the next request is a hit; a miss here would make the whole run meaningless. */
async function primeHit(url: string, headers: Record<string, string> = {}): Promise<string | null> {
  await probe(url, headers);
  const p = await probe(url, headers);
  if (!isHit(p)) throw new Error(`${url} is not a cache hit after priming: ${p.status} ${p.cacheStatus}`);
  return p.setCookie;
}

/** After each round: the page must still be a hit, and anything workerd logged meanwhile is charged to it. */
const roundCheck = (stack: EdgeStack, url: string | null, headers?: Record<string, string>) => async () => {
  const problems: string[] = [];
  if (url) {
    const p = await probe(url, headers);
    if (!isHit(p)) problems.push(`not a hit after the round (${p.status} ${p.cacheStatus})`);
  }
  // Each request's line has its own request id, so lines rarely repeat: the first few tell what happened.
  const logs = stack.takeLogs();
  for (const l of logs.slice(0, 3)) problems.push(`${l.count}× workerd log "${l.line}"`);
  if (logs.length > 3) problems.push(`${logs.length - 3} more distinct workerd log lines`);
  return problems.length > 0 ? problems.join("; ") : null;
};

async function main(): Promise<void> {
  console.log(
    `edge cache-hit bench: ${plan.rounds} rounds × ${plan.seconds} s per target, ${plan.connections} connections, ` +
      `load by ${plan.tool === "wrk" ? "wrk -t1 (separate process)" : "Node keep-alive loop (BENCH_LOAD=node or no wrk)"}`,
  );
  const stack = await startEdgeStack({
    origin: { cacheControl: "public, s-maxage=60", delayMs: 0 },
    variants: VARIANTS,
    cacheApiWorker: true,
    ...(process.env.BENCH_BASELINE ? { baseline: process.env.BENCH_BASELINE } : {}),
  });
  try {
    const edge = urlOf(stack, "edge", PAGE);
    const newVisitorCookie = await primeHit(edge);
    await primeHit(edge, RETURNING);
    const targets: Target[] = [
      {
        label: "bare Worker (constant body)",
        url: urlOf(stack, "bare"),
        afterRound: roundCheck(stack, null),
      },
      { label: "edge hit, new visitor (no cookie)", url: edge, afterRound: roundCheck(stack, edge) },
      {
        label: "edge hit, returning visitor (ep_aid)",
        url: edge,
        headers: RETURNING,
        afterRound: roundCheck(stack, edge, RETURNING),
      },
    ];
    const variantLabels: Record<string, string> = {
      "edge-switch-once": "edge hit, switch refresh 1/min (ep_aid)",
      "edge-switch-kv": "edge hit, switches from KV only (ep_aid)",
      baseline: "edge hit, baseline checkout (ep_aid)",
      "edge-nohot": "edge hit, hot cache off (Cache API)",
    };
    for (const [name, label] of Object.entries(variantLabels)) {
      if (!stack.urls.has(name)) continue;
      const url = urlOf(stack, name, PAGE);
      await primeHit(url, RETURNING);
      targets.push({ label, url, headers: RETURNING, afterRound: roundCheck(stack, url, RETURNING) });
    }
    const cacheApi = urlOf(stack, "cache-api", PAGE);
    await probe(cacheApi);
    targets.push({
      label: "minimal Cache API hit Worker",
      url: cacheApi,
      afterRound: roundCheck(stack, null),
    });
    stack.takeLogs();

    const origin = stack.urls.get("origin");
    const before = origin ? (await originStats(origin)).fetches : 0;
    const results = await measureRounds(targets, plan, (label, round, r) =>
      console.log(`  round ${round}  ${label.padEnd(40)} ${formatRate(r.perSecond).padStart(8)} req/s`),
    );
    const originFetches = origin ? (await originStats(origin)).fetches - before : Number.NaN;

    const bare = results[0]?.perSecond ?? Number.NaN;
    console.log();
    console.log(
      table(
        ["target", "req/s (median)", "rounds min–max", "p50", "p99", "vs bare", "non-2xx/errors"],
        results.map((r) => {
          const rates = r.rounds.map((x) => x.perSecond);
          return [
            r.label,
            formatRate(r.perSecond),
            `${formatRate(Math.min(...rates))}–${formatRate(Math.max(...rates))}`,
            formatMs(r.p50Ms),
            formatMs(r.p99Ms),
            `${(r.perSecond / bare).toFixed(2)}×`,
            String(r.rounds.reduce((n, x) => n + x.non2xx + x.errors, 0)),
          ];
        }),
      ),
    );
    console.log();
    const hotNew = results[1]?.perSecond ?? Number.NaN;
    const hotReturning = results[2]?.perSecond ?? Number.NaN;
    const verdict = (x: number) => (x / bare >= GOAL ? "meets" : "below");
    console.log(
      `edge hit / bare: new visitors ${(hotNew / bare).toFixed(2)}× (${verdict(hotNew)} goal ≥ ${GOAL}×), ` +
        `returning visitors ${(hotReturning / bare).toFixed(2)}× (${verdict(hotReturning)} goal)`,
    );
    // Within noise (±10 % here) the two are equal; a clear gap would mean minting ep_aid costs real time.
    console.log(
      `new ÷ returning visitor rate: ${(hotNew / hotReturning).toFixed(2)}× (the difference is ep_aid: ` +
        `crypto.randomUUID + Set-Cookie${newVisitorCookie ? ", sent on every cookieless hit" : ""})`,
    );
    console.log(
      `origin fetches during the measured rounds: ${originFetches} (page TTL 60 s: ~1 refresh a minute)`,
    );
    for (const s of stack.skipped) console.log(`note: variant skipped: ${s}`);
    for (const r of results) {
      if (r.problems.length === 0) continue;
      console.log(`warning: ${r.label}:`);
      for (const p of r.problems) console.log(`  ${p}`);
    }
    const failures = results.reduce((n, r) => n + r.rounds.reduce((m, x) => m + x.non2xx + x.errors, 0), 0);
    console.log(
      `\nRESULT: edge hit ${(hotNew / bare).toFixed(2)}× bare for new visitors, ${(hotReturning / bare).toFixed(2)}× ` +
        `for returning ones (goal ≥ ${GOAL}×); bare ${formatRate(bare)} req/s; ${failures} failed responses`,
    );
  } finally {
    await stack.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(`edge-cache bench setup failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
