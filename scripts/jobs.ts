// Jobs on a running site: dead jobs (list, stats, show, rerun, discard) and `enqueue <name>` (admin API).
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { DeadJob } from "../shared/jobs/index.ts";
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

const USAGE = `usage: npm run jobs -- list [--all] | stats | show <job-id> | rerun <job-id> | discard <job-id>
                      | enqueue <job-name> ['<json payload>'] [--url URL] [--token TOKEN]`;

export type JobsCommand =
  | { action: "list"; all: boolean }
  | { action: "stats" }
  | { action: "show" | "rerun" | "discard"; id: string }
  | { action: "enqueue"; name: string; payload: unknown };

export function parseJobsArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...TARGET_OPTIONS, all: { type: "boolean", default: false } },
  });
  const [action, id, ...extra] = positionals;
  if (action === "enqueue" && id && extra.length <= 1) {
    let payload: unknown = {};
    try {
      if (extra[0] !== undefined) payload = JSON.parse(extra[0]);
    } catch {
      throw new CliError(`the payload must be JSON, e.g. '{"batchSize": 500}' (got ${extra[0]})`);
    }
    return {
      command: { action, name: id, payload } as JobsCommand,
      flags: { url: values.url, token: values.token },
    };
  }
  if (extra.length > 0) throw new CliError(USAGE);
  let command: JobsCommand;
  if (action === "list" && id === undefined) command = { action: "list", all: values.all };
  else if (action === "stats" && id === undefined) command = { action: "stats" };
  else if ((action === "show" || action === "rerun" || action === "discard") && id) command = { action, id };
  else throw new CliError(USAGE);
  return { command, flags: { url: values.url, token: values.token } };
}

type Listed = Omit<DeadJob, "failedAt" | "rerunAt"> & { failedAt: string; rerunAt: string | null };

function line(j: Listed): string {
  const rerun = j.rerunAt ? `, rerun ${j.rerunAt}` : "";
  return `${j.jobId}  ${j.name}  ${j.attempts} attempt(s)  died ${j.failedAt}${rerun}\n    ${j.error.split("\n")[0]}`;
}

export async function runJobs(target: AdminTarget, command: JobsCommand): Promise<void> {
  const dead = (id: string) => `/_admin/jobs/dead/${encodeURIComponent(id)}`;
  switch (command.action) {
    case "list": {
      const { dead: jobs } = await adminRequest<{ dead: Listed[] }>(
        target,
        "GET",
        `/_admin/jobs/dead${command.all ? "?all=1" : ""}`,
      );
      if (jobs.length === 0) return print.ok("no dead jobs");
      for (const j of jobs) console.log(line(j));
      return print.ok(`${jobs.length} dead job(s)${command.all ? " (re-run ones included)" : ""}`);
    }
    case "stats": {
      const s = await adminRequest<{ dead: Record<string, number>; outboxPending: number }>(
        target,
        "GET",
        "/_admin/jobs/stats",
      );
      for (const [name, n] of Object.entries(s.dead)) print.note(`${name}: ${n} dead`);
      return print.ok(`${s.outboxPending} job(s) staged in the outbox, not yet relayed`);
    }
    case "show": {
      const { job } = await adminRequest<{ job: Listed }>(target, "GET", dead(command.id));
      console.log(line(job));
      console.log(`    payload: ${JSON.stringify(job.payload)}`);
      return print.ok(job.rerunAt ? "re-run already" : "dead; `rerun` to run it again, `discard` to drop it");
    }
    case "rerun": {
      print.step(`re-running ${command.id}`);
      const r = await adminRequest<{ rerun: string; name: string }>(
        target,
        "POST",
        `${dead(command.id)}/rerun`,
      );
      return print.ok(`${r.name} ${r.rerun} is back on the queue (same id: the ledger keeps it to one run)`);
    }
    case "enqueue": {
      print.step(`enqueueing ${command.name}`);
      const r = await adminRequest<{ enqueued: string }>(target, "POST", "/_admin/jobs/enqueue", {
        body: { name: command.name, payload: command.payload },
      });
      return print.ok(`${command.name} ${r.enqueued} is on the queue`);
    }
    case "discard": {
      print.step(`discarding ${command.id}`);
      await adminRequest(target, "DELETE", dead(command.id));
      return print.ok(`${command.id} discarded; it will never run`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(async () => {
    const { command, flags } = parseJobsArgs(process.argv.slice(2));
    const stack = flags.url && flags.token ? null : await readStackJson();
    await runJobs(resolveTarget(flags, process.env, stack), command);
  });
}
