// Shared by the admin CLIs: which site and token to use, calling its admin API, and printing results.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ENV_PREFIX } from "../../shared/site/index.ts";

export const DEFAULT_EDGE_URL = "http://127.0.0.1:8787";
export const STACK_JSON = ".data/dev/stack.json";
export const TOKEN_ENV = `${ENV_PREFIX}_ADMIN_TOKEN`;
/** The deployed site the CLIs talk to when no --url is given. */
export const URL_ENV = `${ENV_PREFIX}_URL`;

/** Spread into a parseArgs `options` so every admin CLI takes the same --url and --token. */
export const TARGET_OPTIONS = { url: { type: "string" }, token: { type: "string" } } as const;

export type StackJson = { edgeUrl?: string; adminToken?: string };
export type AdminTarget = { url: string; token: string; remote: boolean; tokenFrom: string };

/** A failure the user can act on: printed as one line, no stack trace. */
export class CliError extends Error {}

/** The local stack's facts, or null when `npm run dev` has not written them. */
export async function readStackJson(path = resolve(STACK_JSON)): Promise<StackJson | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return null;
  }
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data !== "object" || data === null) throw new Error("not an object");
    const { edgeUrl, adminToken } = data as Record<string, unknown>;
    return {
      ...(typeof edgeUrl === "string" ? { edgeUrl } : {}),
      ...(typeof adminToken === "string" ? { adminToken } : {}),
    };
  } catch (error) {
    throw new CliError(`${path} is not valid JSON (${(error as Error).message}); rerun npm run dev`);
  }
}

/** Flags win, then the environment, then the local stack, then the default local port. */
export function resolveTarget(
  flags: { url?: string | undefined; token?: string | undefined },
  env: Record<string, string | undefined>,
  stack: StackJson | null,
): AdminTarget {
  const raw = flags.url ?? stack?.edgeUrl ?? DEFAULT_EDGE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`--url must be a full URL such as https://events.example.com (got "${raw}")`);
  }
  const remote = !isLoopback(url.hostname);
  // A bearer token over plain http to another machine can be read by anyone on the path.
  if (remote && url.protocol !== "https:") {
    throw new CliError(`refusing to send the admin token over plain http to ${url.host}; use https://`);
  }
  const [token, tokenFrom] = flags.token
    ? [flags.token, "--token"]
    : env[TOKEN_ENV]
      ? [env[TOKEN_ENV], TOKEN_ENV]
      : [stack?.adminToken, STACK_JSON];
  // The local stack's token means nothing elsewhere; sending it to a remote site would only leak it.
  if (remote && tokenFrom === STACK_JSON) {
    throw new CliError(`${url.host} is remote: pass its admin token with --token or ${TOKEN_ENV}`);
  }
  if (!token) {
    throw new CliError(
      `no admin token: pass --token, set ${TOKEN_ENV}, or start the local stack (npm run dev)`,
    );
  }
  return { url: url.origin, token, remote, tokenFrom };
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || hostname.startsWith("127.");
}

/** One admin API call; every failure becomes a CliError that says what to do next. */
export async function adminRequest<T>(
  target: AdminTarget,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<T> {
  const url = `${target.url}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        Authorization: `Bearer ${target.token}`,
        Accept: "application/json",
        ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    const hint = target.remote ? "check --url" : "is the local stack running (npm run dev)?";
    throw new CliError(`cannot reach ${target.url} (${cause}); ${hint}`);
  }
  const text = await res.text();
  if (res.status === 401 || res.status === 403) {
    throw new CliError(`${url} refused the admin token (${res.status}); check --token / ${TOKEN_ENV}`);
  }
  if (!res.ok) throw new CliError(`${method} ${url} failed (${res.status}): ${text.trim().slice(0, 300)}`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CliError(`${url} answered ${res.status} but not with JSON; is --url the site's edge Worker?`);
  }
}

export const print = {
  step: (line: string) => console.log(`→ ${line}`),
  ok: (line: string) => console.log(`✓ ${line}`),
  note: (line: string) => console.log(`  ${line}`),
};

/** Runs a CLI's main: known failures print one "✗" line, anything else its message; both exit 1. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
