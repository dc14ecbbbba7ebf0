// Load from a list of different requests (paths, cookies), timed per kind and per cache hit: what wrk cannot
// report. It runs in its own thread so the client takes a core of its own, as wrk would.
import { Worker } from "node:worker_threads";
import { percentile } from "./stats.ts";

export interface MixedRequest {
  path: string;
  headers: Readonly<Record<string, string>>;
  /** What the request stands for (a popular page, a miss, a signed-in visitor…); figures are kept per kind. */
  kind: string;
}

export interface MixedLoadPlan {
  /** Origin of the target (scheme, host, port); the paths come from `requests`. */
  url: string;
  /** Replayed in order, round and round, by all connections together. */
  requests: readonly MixedRequest[];
  connections: number;
  seconds: number;
}

/** What the thread hands back: every latency, by kind and for cache hits (Cache-Status `; hit`). */
export interface RawSamples {
  kinds: string[];
  latencies: number[][];
  hitLatencies: number[][];
  non2xx: number[];
  errors: number;
  seconds: number;
}

export interface Latency {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

export interface MixedResult {
  perSecond: number;
  all: Latency;
  /** Every answer whose Cache-Status says hit, whatever its kind. */
  hits: Latency;
  kinds: Record<string, Latency & { hits: number; non2xx: number }>;
  errors: number;
}

const latency = (samples: readonly number[]): Latency => ({
  count: samples.length,
  p50Ms: percentile(samples, 50),
  p99Ms: percentile(samples, 99),
});

/** Pure: the figures from one run's samples. */
export function summarise(s: RawSamples): MixedResult {
  const all = s.latencies.flat();
  const kinds: MixedResult["kinds"] = {};
  s.kinds.forEach((kind, i) => {
    kinds[kind] = {
      ...latency(s.latencies[i] ?? []),
      hits: s.hitLatencies[i]?.length ?? 0,
      non2xx: s.non2xx[i] ?? 0,
    };
  });
  return {
    perSecond: all.length / s.seconds,
    all: latency(all),
    hits: latency(s.hitLatencies.flat()),
    kinds,
    errors: s.errors,
  };
}

export function runMixedLoad(plan: MixedLoadPlan): Promise<MixedResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./mixed-load-thread.ts", import.meta.url), {
      workerData: plan,
      execArgv: ["--import", "tsx"],
    });
    worker.once("message", (samples: RawSamples) => {
      resolve(summarise(samples));
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load thread exited with ${code}`));
    });
  });
}
