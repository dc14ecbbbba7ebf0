// Switch read-only mode on a running site: `npm run readonly -- on|off|status [--url …] [--token …]`.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ReadOnlyState } from "../shared/readonly/index.ts";
import {
  type AdminTarget,
  adminRequest,
  CliError,
  print,
  readStackJson,
  resolveTarget,
  runCli,
  TARGET_OPTIONS,
} from "./lib/admin-client.ts";

const PATH = "/_admin/readonly";
const USAGE = `usage: npm run readonly -- <on|off|status> [--reason "…"] [--retry-after SECONDS]
                          [--actor NAME] [--url URL] [--token TOKEN]`;

export type ReadonlyCommand =
  | { action: "status" }
  | { action: "set"; body: { on: boolean; reason?: string; retryAfter?: number }; actor: string };

export function parseReadonlyArgs(argv: string[], env: Record<string, string | undefined>) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...TARGET_OPTIONS,
      reason: { type: "string" },
      "retry-after": { type: "string" },
      actor: { type: "string" },
    },
  });
  const [action, ...extra] = positionals;
  if (extra.length > 0 || !action || !["on", "off", "status"].includes(action)) throw new CliError(USAGE);
  let command: ReadonlyCommand;
  if (action === "status") command = { action: "status" };
  else {
    const body: { on: boolean; reason?: string; retryAfter?: number } = { on: action === "on" };
    if (values.reason !== undefined) body.reason = values.reason;
    if (values["retry-after"] !== undefined) {
      const seconds = Number(values["retry-after"]);
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
        throw new CliError(
          `--retry-after must be whole seconds between 1 and 86400 (got "${values["retry-after"]}")`,
        );
      }
      body.retryAfter = seconds;
    }
    command = {
      action: "set",
      body,
      actor: values.actor ?? `${env.USER ?? env.USERNAME ?? "someone"} (cli)`,
    };
  }
  return { command, flags: { url: values.url, token: values.token } };
}

function describe(state: ReadOnlyState): string {
  if (!state.on)
    return `read-only is OFF${state.since ? ` (since ${state.since}, by ${state.by ?? "?"})` : ""}`;
  return `read-only is ON since ${state.since ?? "?"} by ${state.by ?? "?"}: "${state.reason}" (writes get 503, retry after ${state.retryAfter} s)`;
}

async function run(target: AdminTarget, command: ReadonlyCommand): Promise<void> {
  const where = `${target.url} (${target.remote ? "remote" : "local"}, token from ${target.tokenFrom})`;
  if (command.action === "status") {
    print.step(`GET ${PATH} on ${where}`);
    print.ok(describe(await adminRequest<ReadOnlyState>(target, "GET", PATH)));
    return;
  }
  print.step(`turning read-only ${command.body.on ? "ON" : "OFF"} on ${where}`);
  const state = await adminRequest<ReadOnlyState>(target, "PUT", PATH, {
    body: command.body,
    headers: { "X-Actor": command.actor },
  });
  print.ok(describe(state));
  // KV is eventually consistent: the data centre that took the write sees it at once, others later.
  if (target.remote)
    print.note("each location picks it up within ~2 s of seeing it; KV may take up to ~60 s to spread");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(async () => {
    const { command, flags } = parseReadonlyArgs(process.argv.slice(2), process.env);
    const stack = flags.url && flags.token ? null : await readStackJson();
    await run(resolveTarget(flags, process.env, stack), command);
  });
}
