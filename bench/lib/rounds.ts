// Measures several targets side by side: warm-up, then alternating rounds with a rotating order, then medians.
import { type LoadTool, runLoad } from "./load.ts";
import { median } from "./stats.ts";
import type { LoadResult } from "./wrk-parse.ts";

export interface Target {
  label: string;
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** Runs after each of this target's rounds; a returned string is a problem to report (e.g. "not a hit"). */
  afterRound?: () => Promise<string | null>;
}

export interface RoundPlan {
  tool: LoadTool;
  rounds: number;
  seconds: number;
  warmSeconds: number;
  connections: number;
}

export interface TargetSummary {
  label: string;
  rounds: LoadResult[];
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  problems: string[];
}

/**
 * The machine's two cores are noisy, so no target gets a quiet slot: each round visits every target, the
 * starting target rotates per round and every other round runs backwards, so no target always follows the same
 * one (a run leaves garbage and warm code behind for the next), and each figure is the median over rounds.
 */
export async function measureRounds(
  targets: readonly Target[],
  plan: RoundPlan,
  onRound?: (label: string, round: number, r: LoadResult) => void,
): Promise<TargetSummary[]> {
  const load = (t: Target, seconds: number) =>
    runLoad(plan.tool, { url: t.url, seconds, connections: plan.connections, headers: t.headers });
  const results = targets.map(() => [] as LoadResult[]);
  const problems = targets.map(() => [] as string[]);
  for (const [i, t] of targets.entries()) {
    await load(t, plan.warmSeconds);
    const problem = await t.afterRound?.();
    if (problem) problems[i]?.push(`warm-up: ${problem}`);
  }
  for (let round = 0; round < plan.rounds; round++) {
    for (let k = 0; k < targets.length; k++) {
      const step = round % 2 === 0 ? k : targets.length - k;
      const i = (round + step) % targets.length;
      const t = targets[i];
      if (!t) continue;
      const r = await load(t, plan.seconds);
      results[i]?.push(r);
      onRound?.(t.label, round + 1, r);
      if (r.non2xx > 0 || r.errors > 0)
        problems[i]?.push(`round ${round + 1}: ${r.non2xx} non-2xx, ${r.errors} socket errors`);
      const problem = await t.afterRound?.();
      if (problem) problems[i]?.push(`round ${round + 1}: ${problem}`);
    }
  }
  return targets.map((t, i) => {
    const rounds = results[i] ?? [];
    return {
      label: t.label,
      rounds,
      perSecond: median(rounds.map((r) => r.perSecond)),
      p50Ms: median(rounds.map((r) => r.p50Ms)),
      p99Ms: median(rounds.map((r) => r.p99Ms)),
      problems: problems[i] ?? [],
    };
  });
}
