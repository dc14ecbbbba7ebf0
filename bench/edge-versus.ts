// Bench: this edge against the edges of other commits, side by side in one workerd, for one kind of request.
// Usage: npx tsx bench/edge-versus.ts --ref <commit> [--ref <commit>…] [--kind signed-in|returning|new]
//        (env: BENCH_ROUNDS=5 BENCH_SECONDS=5 BENCH_CONNECTIONS=50)
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { bundleEdge, startEdgeStack } from "./lib/edge-stack.ts";
import { type MixedRequest, type MixedResult, runMixedLoad } from "./lib/mixed-load.ts";
import { probe } from "./lib/probe.ts";
import { formatMs, formatRate, median, table } from "./lib/stats.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const { values } = parseArgs({
  options: { ref: { type: "string", multiple: true }, kind: { type: "string", default: "signed-in" } },
});
const plan = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
};
const PATH = "/events";
const SESSIONS = 200;

/** The same few requests, repeated: which kind of visitor the edges are compared on. */
function requests(kind: string): MixedRequest[] {
  const one = (i: number): Record<string, string> => {
    if (kind === "signed-in")
      return { cookie: `sid=bench${String(i % SESSIONS).padStart(4, "0")}${"s".repeat(34)}` };
    if (kind === "returning")
      return { cookie: `ep_aid=00000000-0000-4000-8000-${String(i % 1000).padStart(12, "0")}` };
    if (kind === "new") return {};
    throw new Error(`unknown --kind ${kind}: signed-in, returning or new`);
  };
  return Array.from({ length: SESSIONS * 5 }, (_, i) => ({ path: PATH, headers: one(i), kind }));
}

/** The other commit's edge, bundled from its own files with this checkout's node_modules (git archive, no worktree). */
async function bundleAt(ref: string, dir: string): Promise<string> {
  const tree = path.join(dir, "tree");
  await mkdir(dir, { recursive: true });
  await mkdir(tree, { recursive: true });
  const archive = path.join(dir, "tree.tar");
  await run("git", ["archive", "--format=tar", "-o", archive, ref], { cwd: ROOT });
  await run("tar", ["-xf", archive, "-C", tree]);
  await symlink(path.join(ROOT, "node_modules"), path.join(tree, "node_modules"));
  await run(process.execPath, ["--import", "tsx", "scripts/build-assets.ts"], { cwd: tree });
  return bundleEdge(path.join(dir, "out"), tree);
}

const shortRef = async (ref: string) =>
  (await run("git", ["rev-parse", "--short", ref], { cwd: ROOT })).stdout.trim();

async function main(): Promise<void> {
  const refs = values.ref ?? [];
  if (refs.length === 0)
    throw new Error("usage: npx tsx bench/edge-versus.ts --ref <commit> [--ref <commit>…] [--kind …]");
  const kind = values.kind;
  const shorts = await Promise.all(refs.map(shortRef));
  const head = await shortRef("HEAD");
  console.log(
    `edge versus edge: ${kind} requests, this checkout (${head}) against ${shorts.join(", ")}; ${plan.rounds} ` +
      `rounds × ${plan.seconds} s per target, ${plan.connections} connections, load from a client thread`,
  );
  const dir = await mkdtemp(path.join(tmpdir(), "edge-versus-"));
  try {
    const others = await Promise.all(refs.map((ref, i) => bundleAt(ref, path.join(dir, String(i)))));
    const stack = await startEdgeStack({
      origin: { cacheControl: "public, s-maxage=3600", delayMs: 0 },
      edges: others.map((scriptPath, i) => ({ name: `other${i}`, scriptPath })),
    });
    try {
      const targets = [
        { label: "bare Worker", url: stack.urls.get("bare") },
        { label: `edge ${head} (this checkout)`, url: stack.urls.get("edge") },
        ...shorts.map((short, i) => ({ label: `edge ${short}`, url: stack.urls.get(`other${i}`) })),
      ];
      const list = requests(kind);
      for (const t of targets) {
        if (!t.url) throw new Error(`${t.label} has no socket`);
        // Fills the page cache and every session's identity in each edge's memory.
        for (const r of list.slice(0, SESSIONS)) await probe(new URL(r.path, t.url).href, r.headers);
      }
      const load = (url: URL) =>
        runMixedLoad({ url: url.href, requests: list, connections: plan.connections, seconds: plan.seconds });
      for (const t of targets) await load(t.url as URL);
      stack.takeLogs();
      const results = targets.map(() => [] as MixedResult[]);
      for (let round = 0; round < plan.rounds; round++) {
        for (let k = 0; k < targets.length; k++) {
          const i = (round + k) % targets.length;
          const t = targets[i];
          if (!t) continue;
          const r = await load(t.url as URL);
          results[i]?.push(r);
          console.log(
            `  round ${round + 1}  ${t.label.padEnd(28)} ${formatRate(r.perSecond).padStart(8)} req/s`,
          );
        }
      }
      const bare = median(results[0]?.map((r) => r.perSecond) ?? []);
      console.log();
      console.log(
        table(
          ["target", "req/s (median)", "rounds min–max", "p50", "p99", "vs bare", "non-2xx/errors"],
          targets.map((t, i) => {
            const l = results[i] ?? [];
            const rates = l.map((r) => r.perSecond);
            return [
              t.label,
              formatRate(median(rates)),
              `${formatRate(Math.min(...rates))}–${formatRate(Math.max(...rates))}`,
              formatMs(median(l.map((r) => r.all.p50Ms))),
              formatMs(median(l.map((r) => r.all.p99Ms))),
              `${(median(rates) / bare).toFixed(2)}×`,
              String(l.reduce((n, r) => n + r.errors + (r.kinds[kind]?.non2xx ?? 0), 0)),
            ];
          }),
        ),
      );
      const mine = results[1] ?? [];
      const ratios = shorts.map((short, j) => {
        const theirs = results[j + 2] ?? [];
        const ratio = median(mine.map((r, i) => r.perSecond / (theirs[i]?.perSecond ?? Number.NaN)));
        return `${ratio.toFixed(2)}× ${short}`;
      });
      console.log(
        `\nRESULT: ${kind}: edge ${head} has ${ratios.join(", ")} req/s (median of the rounds' ratios)`,
      );
    } finally {
      await stack.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`edge-versus bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
