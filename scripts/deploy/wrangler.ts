// Runs the `wrangler` on PATH (the project's under npm scripts, a fake in tests) and collects what it said.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "./errors.ts";
import { errorTitle, plain } from "./wrangler-output.ts";

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
  /** ND-JSON records from WRANGLER_OUTPUT_FILE_PATH (deploy, version-upload, version-deploy, command-failed). */
  records: Record<string, unknown>[];
}

export interface Wrangler {
  /** `quiet` keeps wrangler's output to itself (lists); otherwise each line is echoed, indented. */
  run(args: string[], opts?: { input?: string; quiet?: boolean }): Promise<Result>;
}

/** How a wrangler command line is run: a process by default; tests may answer in-process. */
export type Exec = (
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input: string; onData: (text: string) => void },
) => Promise<{ code: number; stdout: string; stderr: string }>;

/** The `wrangler` first on PATH, as a child process. */
export const spawnExec: Exec = (args, opts) =>
  new Promise((resolve, reject) => {
    const child = spawn("wrangler", args, {
      cwd: opts.cwd,
      env: opts.env,
      // wrangler is a .cmd shim on Windows, which only a shell can start.
      shell: process.platform === "win32",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
      opts.onData(b.toString());
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
      opts.onData(b.toString());
    });
    child.on("error", (e) =>
      reject(new Error(`cannot run wrangler (${e.message}): run this through npm (npm run …) or npx`)),
    );
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(opts.input);
  });

export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  exec?: Exec;
}

export function wrangler(ctx: RunContext): Wrangler {
  const exec = ctx.exec ?? spawnExec;
  return {
    async run(args, opts = {}) {
      const dir = mkdtempSync(join(tmpdir(), "wrangler-out-"));
      const outputFile = join(dir, "output.ndjson");
      const echo = (text: string) => {
        if (opts.quiet) return;
        for (const line of text.replace(/\n$/, "").split("\n")) ctx.log(`    ${line}`);
      };
      try {
        const env = { ...ctx.env, WRANGLER_OUTPUT_FILE_PATH: outputFile };
        const r = await exec(args, { cwd: ctx.cwd, env, input: opts.input ?? "", onData: echo });
        let records: Record<string, unknown>[] = [];
        try {
          records = readFileSync(outputFile, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record<string, unknown>);
        } catch {}
        // Parsed without colours: FORCE_COLOR (npm test sets it) makes wrangler colour stdout too.
        return { code: r.code, stdout: plain(r.stdout), stderr: r.stderr, records };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A failed wrangler run as an Error whose message is wrangler's own first error line. */
export class WranglerFailed extends UserError {
  readonly result: Result;
  constructor(what: string, result: Result) {
    super(`${what}: ${errorTitle(result.stderr) || `wrangler exited with ${result.code}`}`);
    this.result = result;
  }
}

/** Runs and throws WranglerFailed unless wrangler exited 0. */
export async function must(
  w: Wrangler,
  what: string,
  args: string[],
  opts?: { input?: string; quiet?: boolean },
) {
  const r = await w.run(args, opts);
  if (r.code !== 0) throw new WranglerFailed(what, r);
  return r;
}
