// What the provision/secrets/deploy/rollback commands share: where the project is, how they talk, how they fail.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { environments } from "./configs.ts";
import { UserError } from "./errors.ts";
import { askHidden } from "./prompt.ts";
import { type Exec, type Wrangler, wrangler } from "./wrangler.ts";

export { UserError };

export interface Context {
  root: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  wrangler: Wrangler;
  /** Seconds since the command started, for progress lines. */
  started: number;
  /** Asks a person (hidden input); absent when nobody is at a terminal (CI, tests). */
  ask?: (question: string) => Promise<string>;
  /** How wrangler runs (a process unless a test answers in-process). */
  exec?: Exec;
}

export function context(opts: Partial<Pick<Context, "root" | "env" | "log" | "ask" | "exec">> = {}): Context {
  const root = opts.root ?? resolve(import.meta.dirname, "../..");
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => console.log(line));
  const run = wrangler(opts.exec ? { cwd: root, env, log, exec: opts.exec } : { cwd: root, env, log });
  const ctx: Context = { root, env, log, wrangler: run, started: Date.now() };
  if (opts.ask) ctx.ask = opts.ask;
  if (opts.exec) ctx.exec = opts.exec;
  return ctx;
}

/** `[  1.2s] label     detail`, the progress format of the project's scripts. */
export function step(ctx: Context, label: string, detail: string): void {
  const secs = ((Date.now() - ctx.started) / 1000).toFixed(1).padStart(5);
  ctx.log(`[${secs}s] ${label.padEnd(9)} ${detail}`);
}

/** The --env value, checked against the environments every config defines; staging unless named. */
export function chooseEnv(ctx: Context, value: string | undefined): string {
  const known = environments(ctx.root);
  const env = value ?? "staging";
  if (!known.includes(env)) {
    throw new UserError(
      `unknown environment "${env}": the wrangler configs define ${known.map((e) => `"${e}"`).join(", ") || "none"} (an [env.<name>] section in every config)`,
    );
  }
  return env;
}

/** Aligned columns for the summary tables the commands end with. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

/** Runs `main` when the file is the process entry point; a UserError exits 1 with its message only. */
export function runWhenMain(url: string, main: (argv: string[], ctx: Context) => Promise<void>): void {
  if (url !== pathToFileURL(process.argv[1] ?? "").href) return;
  const ask = process.stdin.isTTY && !process.env.CI ? askHidden : undefined;
  main(process.argv.slice(2), context(ask ? { ask } : {})).catch((e: unknown) => {
    if (e instanceof UserError) console.error(`\n✗ ${e.message}`);
    else console.error(`\n✗ ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  });
}
