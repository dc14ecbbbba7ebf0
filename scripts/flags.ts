// Manage feature flags on a running site through its admin API: `npm run flags -- <command>` (see USAGE).
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import type { AuditEntry } from "../shared/flagstore/index.ts";
import { fromUnleash, type ImportResult } from "../shared/flagstore/index.ts";
import { type FlagsRequest, parseFlagsArgs, type View } from "./flags-args.ts";
import { auditTable, changeLine, flagView, listView, segmentsView } from "./flags-view.ts";
import {
  type AdminTarget,
  CliError,
  print,
  readStackJson,
  resolveTarget,
  runCli,
  TOKEN_ENV,
} from "./lib/admin-client.ts";

/** One admin call; a refused change shows the server's message verbatim. */
export async function callAdmin(
  target: AdminTarget,
  req: FlagsRequest,
  actor: string,
  fetchImpl: typeof fetch = fetch,
): Promise<unknown> {
  let body = req.body;
  if (req.jsonFile) {
    try {
      body = JSON.parse(await readFile(req.jsonFile, "utf8"));
    } catch (error) {
      throw new CliError(`cannot read ${req.jsonFile} as JSON: ${(error as Error).message}`);
    }
  }
  let res: Response;
  try {
    res = await fetchImpl(`${target.url}${req.path}`, {
      method: req.method,
      headers: {
        Authorization: `Bearer ${target.token}`,
        Accept: "application/json",
        "X-Actor": actor,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new CliError(
      `cannot reach ${target.url} (${cause}); ${target.remote ? "check --url" : "is npm run dev running?"}`,
    );
  }
  const text = await res.text();
  if (res.status === 401 || res.status === 403) {
    throw new CliError(`${target.url} refused the admin token (${res.status}); check --token / ${TOKEN_ENV}`);
  }
  let data: unknown = null;
  try {
    data = JSON.parse(text);
  } catch {
    if (res.ok) throw new CliError(`${target.url} answered without JSON; is --url the site's edge Worker?`);
  }
  if (!res.ok) {
    const message = (data as { message?: unknown } | null)?.message;
    throw new CliError(
      `${res.status}: ${typeof message === "string" ? message : text.trim().slice(0, 2000)}`,
    );
  }
  return data;
}

/** The admin API's answer for one view, as text (the API's JSON shapes are trusted, being our own). */
export function render(view: View, data: unknown): string {
  type Arg<F extends (x: never) => string> = Parameters<F>[0];
  if (view === "list") return listView(data as Arg<typeof listView>);
  if (view === "flag") return flagView(data as Arg<typeof flagView>);
  if (view === "audit") return auditTable((data as { entries: AuditEntry[] }).entries);
  if (view === "segments") return segmentsView((data as { segments: Arg<typeof segmentsView> }).segments);
  if (view === "publish") return `published snapshot ${(data as { version: string }).version}`;
  if (view === "import") {
    const r = data as ImportResult;
    return `imported: ${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged; snapshot ${r.version}`;
  }
  return changeLine(data as Arg<typeof changeLine>);
}

/** Reads and translates an Unleash file, printing what had to change; null for a dry run (nothing to send). */
async function translateUnleash(req: FlagsRequest): Promise<FlagsRequest | null> {
  const u = req.unleash;
  if (!u) return req;
  let data: unknown;
  try {
    data = JSON.parse(await readFile(u.file, "utf8"));
  } catch (error) {
    throw new CliError(`cannot read ${u.file} as JSON: ${(error as Error).message}`);
  }
  let imported: ReturnType<typeof fromUnleash>;
  try {
    imported = fromUnleash(data, u.environment ? { environment: u.environment } : {});
  } catch (error) {
    throw new CliError(`${u.file}: ${(error as Error).message}`);
  }
  const { flags, segments, notes } = imported;
  print.step(`${u.file}: ${Object.keys(flags).length} flags, ${Object.keys(segments).length} segments`);
  for (const n of notes) print.note(`! ${n.subject}: ${n.message}`);
  if (notes.length === 0) print.note("everything translated as it is");
  if (u.dryRun) {
    console.log(JSON.stringify({ flags, segments }, null, 2));
    print.ok("dry run: nothing was written");
    return null;
  }
  return { ...req, body: { flags, segments } };
}

export async function run(
  target: AdminTarget,
  request: FlagsRequest,
  actor: string,
  fetchImpl?: typeof fetch,
) {
  const req = await translateUnleash(request);
  if (req === null) return;
  const where = `${target.url} (${target.remote ? "remote" : "local"}, token from ${target.tokenFrom})`;
  if (req.method !== "GET") print.step(`${req.method} ${req.path} on ${where}`);
  const text = render(req.view, await callAdmin(target, req, actor, fetchImpl));
  if (req.method === "GET") console.log(text);
  else {
    print.ok(text);
    // Published to the switchboard: each isolate re-reads within ~2 s, through its location's ~1 s copy.
    print.note(
      target.remote
        ? "visible in every location within ~5 s (docs/decisions/025)"
        : "visible at the edge within ~3 s",
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(async () => {
    const { request, actor, flags } = parseFlagsArgs(process.argv.slice(2), process.env);
    // A dry run only reads the file: no site needed.
    if (request.unleash?.dryRun) return void (await translateUnleash(request));
    const stack = flags.url && flags.token ? null : await readStackJson();
    await run(resolveTarget(flags, process.env, stack), request, actor);
  });
}
