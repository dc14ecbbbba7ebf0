// A vitest reporter that records where a run's time went: the start (global setup, runtimes), then per test file
// its import and its tests; `npm test` prints the breakdown (scripts/lib/test-times.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";
import type { RunTimes } from "./test-times.ts";

export default class TimeReporter implements Reporter {
  #root = process.cwd();
  #init = 0;
  #firstFile = 0;

  onInit(): void {
    this.#init = performance.now();
  }

  onTestModuleStart(): void {
    if (this.#firstFile === 0) this.#firstFile = performance.now();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const end = performance.now();
    const projects = [...new Set(modules.map((m) => m.project.name))].sort();
    if (projects.length === 0) return;
    const times: RunTimes = {
      projects,
      totalMs: end - this.#init,
      startMs: (this.#firstFile || end) - this.#init,
      files: modules.map((m) => {
        const d = m.diagnostic();
        return {
          file: relative(this.#root, m.moduleId),
          project: m.project.name,
          importMs: d.collectDuration,
          setupMs: d.environmentSetupDuration + d.prepareDuration + d.setupDuration,
          testsMs: d.duration,
        };
      }),
    };
    const dir = join(this.#root, ".build");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `test-times-${projects.join("+")}.json`), JSON.stringify(times));
  }
}
