// Drives HTTP load at one URL: wrk when installed (a separate process), else a keep-alive Node loop.
import { execFile, spawnSync } from "node:child_process";
import http from "node:http";
import { promisify } from "node:util";
import { percentile } from "./stats.ts";
import { type LoadResult, parseWrk } from "./wrk-parse.ts";

const run = promisify(execFile);

export type LoadTool = "wrk" | "node";

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
  headers?: Readonly<Record<string, string>>;
}

/** wrk unless BENCH_LOAD=node asks for the fallback (or wrk is not on PATH). */
export function detectLoadTool(): LoadTool {
  if (process.env.BENCH_LOAD === "node") return "node";
  const probe = spawnSync("wrk", ["--version"], { encoding: "utf8" });
  return probe.error ? "node" : "wrk";
}

export function runLoad(tool: LoadTool, opts: LoadOptions): Promise<LoadResult> {
  return tool === "wrk" ? runWrk(opts) : runNode(opts);
}

async function runWrk({ url, seconds, connections, headers = {} }: LoadOptions): Promise<LoadResult> {
  const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const { stdout } = await run("wrk", [...args, url], { timeout: (seconds + 30) * 1000 });
  const result = parseWrk(stdout);
  if (!Number.isFinite(result.perSecond)) throw new Error(`could not read wrk output:\n${stdout}`);
  return result;
}

/**
 * The fallback: `connections` keep-alive sockets, each sending its next request when the last answer's body
 * has been read (wrk's model). Node's HTTP client costs CPU on the same 2 cores, so its ceiling is lower.
 */
async function runNode({ url, seconds, connections, headers = {} }: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      const req = http.get(url, { agent, headers }, (res) => {
        res.on("data", () => {});
        res.on("end", () => {
          latencies.push(performance.now() - t);
          if ((res.statusCode ?? 0) >= 400) non2xx++;
          resolve();
        });
        res.on("error", () => {
          errors++;
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    non2xx,
    errors,
  };
}
