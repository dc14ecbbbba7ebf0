// Switch read-only mode on a running site: `npm run readonly -- on|off|status|audit|probe [--url …] [--token …]`.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ReadOnlyAuditEntry, ReadOnlyState } from "../shared/readonly/index.ts";
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
const USAGE = `usage: npm run readonly -- <on|off|status|audit|probe> [--reason "…"] [--retry-after SECONDS]
                          [--actor NAME] [--url URL] [--token TOKEN]`;
const ACTIONS = ["on", "off", "status", "audit", "probe"];

export type ReadonlyCommand =
  | { action: "status" | "audit" | "probe" }
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
  if (extra.length > 0 || !action || !ACTIONS.includes(action)) throw new CliError(USAGE);
  let command: ReadonlyCommand;
  if (action === "status" || action === "audit" || action === "probe") command = { action };
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
  const who =
    state.by === "auto" ? "the site itself (the primary failed; it clears itself)" : (state.by ?? "?");
  return `read-only is ON since ${state.since ?? "?"} by ${who}: "${state.reason}" (writes get 503, retry after ${state.retryAfter} s)`;
}

type ProbeReport = { tripped: boolean; healthy: boolean | null; detail: string; cleared: boolean };

async function run(target: AdminTarget, command: ReadonlyCommand): Promise<void> {
  const where = `${target.url} (${target.remote ? "remote" : "local"}, token from ${target.tokenFrom})`;
  if (command.action === "status") {
    print.step(`GET ${PATH} on ${where}`);
    print.ok(describe(await adminRequest<ReadOnlyState>(target, "GET", PATH)));
    return;
  }
  if (command.action === "audit") {
    print.step(`GET ${PATH}/audit on ${where}`);
    const { entries } = await adminRequest<{ entries: ReadOnlyAuditEntry[] }>(target, "GET", `${PATH}/audit`);
    for (const e of entries.reverse()) print.note(`${e.at}  ${e.action.padEnd(16)} ${e.actor}: ${e.detail}`);
    print.ok(`${entries.length} changes (newest last)`);
    return;
  }
  if (command.action === "probe") {
    print.step(`POST ${PATH}/probe on ${where}`);
    const r = await adminRequest<ProbeReport>(target, "POST", `${PATH}/probe`);
    print.ok(
      r.healthy === null
        ? `nothing to probe: ${r.detail}`
        : `${r.detail}; ${r.cleared ? "read-only cleared" : "still read-only until the primary has been healthy long enough"}`,
    );
    return;
  }
  if (command.action !== "set") return;
  print.step(`turning read-only ${command.body.on ? "ON" : "OFF"} on ${where}`);
  const state = await adminRequest<ReadOnlyState & { warning?: string }>(target, "PUT", PATH, {
    body: command.body,
    headers: { "X-Actor": command.actor },
  });
  print.ok(describe(state));
  if (state.warning) print.note(`warning: ${state.warning}`);
  // The switchboard: each isolate re-reads within ~2 s, through its location's copy (~1 s).
  else if (target.remote) print.note("every location serves it within ~5 s (docs/decisions/025)");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(async () => {
    const { command, flags } = parseReadonlyArgs(process.argv.slice(2), process.env);
    const stack = flags.url && flags.token ? null : await readStackJson();
    await run(resolveTarget(flags, process.env, stack), command);
  });
}
