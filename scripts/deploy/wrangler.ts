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

export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export function wrangler(ctx: RunContext): Wrangler {
  return {
    run(args, opts = {}) {
      const dir = mkdtempSync(join(tmpdir(), "wrangler-out-"));
      const outputFile = join(dir, "output.ndjson");
      const echo = (text: string) => {
        if (opts.quiet) return;
        for (const line of text.replace(/\n$/, "").split("\n")) ctx.log(`    ${line}`);
      };
      return new Promise<Result>((resolve, reject) => {
        const child = spawn("wrangler", args, {
          cwd: ctx.cwd,
          env: { ...ctx.env, WRANGLER_OUTPUT_FILE_PATH: outputFile },
          // wrangler is a .cmd shim on Windows, which only a shell can start.
          shell: process.platform === "win32",
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (b: Buffer) => {
          stdout += b.toString();
          echo(b.toString());
        });
        child.stderr.on("data", (b: Buffer) => {
          stderr += b.toString();
          echo(b.toString());
        });
        child.on("error", (e) =>
          reject(new Error(`cannot run wrangler (${e.message}): run this through npm (npm run …) or npx`)),
        );
        child.on("close", (code) => {
          let records: Record<string, unknown>[] = [];
          try {
            records = readFileSync(outputFile, "utf8")
              .split("\n")
              .filter(Boolean)
              .map((l) => JSON.parse(l) as Record<string, unknown>);
          } catch {}
          rmSync(dir, { recursive: true, force: true });
          // Parsed without colours: FORCE_COLOR (npm test sets it) makes wrangler colour stdout too.
          resolve({ code: code ?? 1, stdout: plain(stdout), stderr, records });
        });
        child.stdin.end(opts.input ?? "");
      });
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
