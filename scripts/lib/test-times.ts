// Where the time of `npm test` went: per step, then per vitest run its start and its files (import vs tests).

export interface FileTimes {
  file: string;
  project: string;
  /** Importing the file and everything it imports that was not loaded yet (vitest's collect time). */
  importMs: number;
  /** The environment and the setup files. */
  setupMs: number;
  /** Its tests and hooks. */
  testsMs: number;
}

/** What scripts/lib/time-reporter.ts writes for one vitest run. */
export interface RunTimes {
  projects: string[];
  totalMs: number;
  /** From vitest's start to the first file: global setup (the local stack, the bundles) and the runtimes. */
  startMs: number;
  files: FileTimes[];
}

export interface StepTimes {
  label: string;
  seconds: number;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sum = (files: readonly FileTimes[], k: "importMs" | "setupMs" | "testsMs") =>
  files.reduce((n, f) => n + f[k], 0);

/** Pure: the lines `npm test` prints at the end. `slowest` files are listed per run. */
export function timeBreakdown(steps: readonly StepTimes[], runs: readonly RunTimes[], slowest = 8): string[] {
  const lines = [`steps: ${steps.map((st) => `${st.label} ${st.seconds.toFixed(1)} s`).join(" · ")}`];
  for (const run of runs) {
    const files = run.files;
    lines.push(
      `${run.projects.join("+")}: ${s(run.totalMs)} in all; ${s(run.startMs)} before the first file; ` +
        `${files.length} files, summed: import ${s(sum(files, "importMs"))}, tests ${s(sum(files, "testsMs"))}, ` +
        `set-up ${s(sum(files, "setupMs"))}`,
    );
    const top = [...files]
      .sort((a, b) => b.importMs + b.testsMs - (a.importMs + a.testsMs))
      .slice(0, slowest);
    const width = Math.max(...top.map((f) => f.file.length));
    for (const f of top) {
      lines.push(
        `  ${f.file.padEnd(width)}  ${s(f.importMs + f.testsMs).padStart(7)}  (import ${s(f.importMs)}, tests ${s(f.testsMs)})`,
      );
    }
  }
  return lines;
}
