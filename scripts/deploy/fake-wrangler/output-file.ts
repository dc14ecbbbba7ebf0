// ND-JSON records wrangler appends to WRANGLER_OUTPUT_FILE_PATH (the machine-readable side of deploy/versions).
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config.ts";
import { at, envVar, invocation } from "./invocation.ts";
import { VERSION } from "./out.ts";

/** The file named by the call's WRANGLER_OUTPUT_FILE_PATH (or a new one in WRANGLER_OUTPUT_FILE_DIRECTORY). */
function target(): string | null {
  const call = invocation();
  if (call.outputFile !== undefined) return call.outputFile;
  const path = envVar("WRANGLER_OUTPUT_FILE_PATH");
  const dir = envVar("WRANGLER_OUTPUT_FILE_DIRECTORY");
  if (path) call.outputFile = at(path);
  else if (dir) {
    mkdirSync(at(dir), { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    call.outputFile = join(at(dir), `wrangler-output-${stamp}-${process.pid}.json`);
  } else call.outputFile = null;
  return call.outputFile;
}

function append(record: Record<string, unknown>): void {
  const f = target();
  if (f) appendFileSync(f, `${JSON.stringify({ ...record, timestamp: new Date().toISOString() })}\n`);
}

export function writeSession(argv: string[], logPath: string): void {
  append({
    type: "wrangler-session",
    version: 1,
    wrangler_version: VERSION,
    command_line_args: argv,
    log_file_path: logPath,
  });
}

export function writeFailure(code: number | undefined, message: string): void {
  append({ type: "command-failed", version: 1, ...(code ? { code } : {}), message });
}

interface Record_ {
  type: "deploy" | "version-upload";
  worker_name: string;
  worker_tag: string | null;
  version_id: string | null;
  targets?: string[];
  preview_url?: string;
  size: { raw: number; gzip: number };
  config: Config;
}

export function writeRecord(r: Record_): void {
  const { size, config, ...rest } = r;
  append({
    ...rest,
    version: 1,
    wrangler_environment: config.env,
    worker_name_overridden: false,
    bundle_size: { raw_bytes: size.raw, gzip_bytes: size.gzip },
  });
}

export function writeVersionDeploy(worker: string, deploymentId: string): void {
  append({
    type: "version-deploy",
    version: 1,
    worker_name: worker,
    worker_tag: `tag-${worker}`,
    deployment_id: deploymentId,
    version_traffic: {},
  });
}
