// The flags CLI's command line, mapped purely onto admin API requests (method, path, PATCH body).
import { parseArgs } from "node:util";
import type { Condition, Segment, Variant } from "../shared/flags/index.ts";
import {
  type FlagPatch,
  type TargetKind,
  type Targets,
  targetConditions,
} from "../shared/flagstore/index.ts";
import { CliError, TARGET_OPTIONS, URL_ENV } from "./lib/admin-client.ts";

const USAGE = `usage: npm run flags -- <command> [--url URL] [--token TOKEN] [--actor NAME]
  list                                   flags and segments with the published snapshot version
  show <key>                             one flag: document, targeting, recent changes
  on <key> [conditions]                  no conditions: on for everyone; with: on for exactly those
  off <key>                              off for everyone (also switches off <key>:* children)
  set <key> [conditions] [--percent N] [--variants a:50,b:50] [--exclude-tag T] [--cache-key|--no-cache-key]
            [--stickiness userId] [--state on|off|selective] [--description TEXT]   edit, keeping the rest
  set <key> --json file.json             replace the whole rule document
  delete <key>      audit [key] [--limit N]      publish (re-send the snapshot to KV)
  rename <key> <new-key>                 keeps everyone in their bucket and variant (groupId keeps the old name)
  import <unleash.json> [--environment ENV] [--dry-run]   Unleash's toggles and segments, with a report of
            what had to change (client API output, delta events or an admin export)
  segments          segment <name> [conditions] | --json file.json      delete-segment <name>
conditions: --tag T --user ID --tenant ID --country GB --ip 10.0.0.0/8 --host H --segment NAME --percent N
            (repeat or comma-separate values); exclusions: --exclude-tag/-user/-tenant/-country/-ip`;

const LIST = { type: "string", multiple: true } as const;
const OPTIONS = {
  ...TARGET_OPTIONS,
  actor: { type: "string" },
  tag: LIST,
  user: LIST,
  tenant: LIST,
  country: LIST,
  ip: LIST,
  host: LIST,
  segment: LIST,
  "exclude-tag": LIST,
  "exclude-user": LIST,
  "exclude-tenant": LIST,
  "exclude-country": LIST,
  "exclude-ip": LIST,
  percent: { type: "string" },
  stickiness: { type: "string" },
  variants: { type: "string" },
  "cache-key": { type: "boolean" },
  state: { type: "string" },
  description: { type: "string" },
  json: { type: "string" },
  limit: { type: "string" },
  environment: { type: "string" },
  "dry-run": { type: "boolean" },
} as const;
type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

export type View = "list" | "flag" | "change" | "audit" | "segments" | "publish" | "import";
export interface FlagsRequest {
  method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE";
  path: string;
  body?: unknown;
  /** A file whose JSON becomes the body (read when the command runs). */
  jsonFile?: string;
  /** An Unleash file translated into the body when the command runs (`import`). */
  unleash?: { file: string; environment?: string; dryRun: boolean };
  view: View;
}

/** CLI option → patch target kind. */
const KIND_OF = {
  tag: "tags",
  user: "users",
  tenant: "tenants",
  country: "countries",
  ip: "ips",
  host: "hosts",
  segment: "segments",
} as const;

const split = (xs: readonly string[] | undefined): string[] | undefined =>
  xs
    ?.flatMap((x) => x.split(","))
    .map((x) => x.trim())
    .filter((x) => x !== "");

export function parsePercent(text: string): number {
  const n = Number(text.replace(/%$/, ""));
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new CliError(`--percent must be a number 0..100 (got "${text}")`);
  }
  return n;
}

/** `control:50,bold:50` (a missing weight counts as 1, so `a,b` is an even split). */
export function parseVariants(text: string): Variant[] {
  return text.split(",").map((part) => {
    const [name = "", weight = "1", ...rest] = part.trim().split(":");
    const w = Number(weight);
    if (name === "" || rest.length > 0 || !Number.isInteger(w) || w < 0) {
      throw new CliError(`--variants must look like control:50,bold:50 (bad part "${part}")`);
    }
    return { name, weight: w };
  });
}

/** Include targets, exclusions and percentage given on the command line, as patch fields. */
export function targetsFrom(v: Values): { include: Targets; exclude: Targets; percentage?: number } {
  const include: Targets = {};
  const exclude: Targets = {};
  for (const [opt, kind] of Object.entries(KIND_OF) as [keyof typeof KIND_OF, TargetKind][]) {
    const upper = kind === "countries" ? (s: string) => s.toUpperCase() : (s: string) => s;
    const inc = split(v[opt])?.map(upper);
    if (inc) include[kind] = inc;
    const exOpt = `exclude-${opt}` as keyof Values;
    const ex = split(v[exOpt] as string[] | undefined)?.map(upper);
    if (ex) exclude[kind] = ex;
  }
  return { include, exclude, ...(v.percent === undefined ? {} : { percentage: parsePercent(v.percent) }) };
}

/** `set`'s options as a PATCH body; null when nothing was asked. */
export function setPatch(v: Values): FlagPatch | null {
  const { include, exclude, percentage } = targetsFrom(v);
  const patch: FlagPatch = { ...include };
  if (Object.keys(exclude).length > 0) patch.exclude = exclude;
  if (percentage !== undefined) patch.percentage = percentage;
  if (v.stickiness) patch.stickiness = v.stickiness as FlagPatch["stickiness"];
  if (v.variants !== undefined) patch.variants = v.variants === "" ? null : parseVariants(v.variants);
  if (v["cache-key"] !== undefined) patch.cacheKey = v["cache-key"];
  if (v.state !== undefined) patch.state = v.state as FlagPatch["state"];
  if (v.description !== undefined) patch.description = v.description === "" ? null : v.description;
  return Object.keys(patch).length > 0 ? patch : null;
}

/** `segment`'s conditions, all of which must match. */
export function segmentDoc(v: Values): Segment {
  const { include, percentage } = targetsFrom(v);
  const conditions: Condition[] = [];
  for (const [kind, values] of Object.entries(include) as [TargetKind, string[] | null][]) {
    if (!values) continue;
    if (kind === "segments") throw new CliError("a segment cannot contain another segment");
    conditions.push(...targetConditions(kind, values, false));
  }
  if (percentage !== undefined) conditions.push({ type: "percentage", percentage });
  if (conditions.length === 0) throw new CliError(`segment needs conditions or --json\n${USAGE}`);
  return { conditions };
}

const enc = encodeURIComponent;
const BASE = "/_admin/flags";

/** Pure: what the command line asks the admin API for. */
export function parseFlagsArgs(argv: string[], env: Record<string, string | undefined>) {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, allowNegative: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values: v, positionals } = parsed;
  const [command, name, ...extra] = positionals;
  const need = (): string => {
    if (!name || extra.length > 0) throw new CliError(`${command} takes one name\n${USAGE}`);
    return name;
  };
  const json = v.json;
  let request: FlagsRequest;
  switch (command) {
    case "list":
      request = { method: "GET", path: BASE, view: "list" };
      break;
    case "show":
      request = { method: "GET", path: `${BASE}/${enc(need())}`, view: "flag" };
      break;
    case "on": {
      const key = need();
      const { include, exclude, percentage } = targetsFrom(v);
      const hasExclude = Object.keys(exclude).length > 0;
      if (Object.keys(include).length === 0 && percentage === undefined && !hasExclude) {
        request = { method: "POST", path: `${BASE}/${enc(key)}/on`, view: "change" };
        break;
      }
      // "Everyone except …" needs an include that matches everybody: a 100 % rollout.
      const all = Object.keys(include).length === 0 && percentage === undefined ? { percentage: 100 } : {};
      const body: FlagPatch = { state: "selective", replaceIncludes: true, ...include, ...all };
      if (percentage !== undefined) body.percentage = percentage;
      if (hasExclude) body.exclude = exclude;
      request = { method: "PATCH", path: `${BASE}/${enc(key)}`, body, view: "change" };
      break;
    }
    case "off":
      request = { method: "POST", path: `${BASE}/${enc(need())}/off`, view: "change" };
      break;
    case "set": {
      const path = `${BASE}/${enc(need())}`;
      if (json) request = { method: "PUT", path, jsonFile: json, view: "change" };
      else {
        const body = setPatch(v);
        if (!body) throw new CliError(`set needs something to change\n${USAGE}`);
        request = { method: "PATCH", path, body, view: "change" };
      }
      break;
    }
    case "delete":
      request = { method: "DELETE", path: `${BASE}/${enc(need())}`, view: "change" };
      break;
    case "rename": {
      const [to, ...more] = extra;
      if (!name || !to || more.length > 0) throw new CliError(`rename takes a key and a new key\n${USAGE}`);
      request = { method: "POST", path: `${BASE}/${enc(name)}/rename`, body: { to }, view: "change" };
      break;
    }
    case "audit": {
      if (extra.length > 0) throw new CliError(USAGE);
      const q = new URLSearchParams({ limit: v.limit ?? "20", ...(name ? { key: name } : {}) });
      request = { method: "GET", path: `${BASE}/_audit?${q}`, view: "audit" };
      break;
    }
    case "segments":
      request = { method: "GET", path: `${BASE}/_segments`, view: "segments" };
      break;
    case "segment": {
      const path = `${BASE}/_segments/${enc(need())}`;
      request = json
        ? { method: "PUT", path, jsonFile: json, view: "change" }
        : { method: "PUT", path, body: segmentDoc(v), view: "change" };
      break;
    }
    case "delete-segment":
      request = { method: "DELETE", path: `${BASE}/_segments/${enc(need())}`, view: "change" };
      break;
    case "publish":
      request = { method: "POST", path: `${BASE}/_publish`, view: "publish" };
      break;
    case "import": {
      const file = need();
      const unleash = {
        file,
        dryRun: v["dry-run"] === true,
        ...(v.environment ? { environment: v.environment } : {}),
      };
      request = { method: "POST", path: `${BASE}/_import`, unleash, view: "import" };
      break;
    }
    default:
      throw new CliError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  }
  const actor = v.actor ?? `${env.USER ?? env.USERNAME ?? "someone"} (cli)`;
  // URL_ENV here, the token env in resolveTarget: flags win over both.
  return { request, actor, flags: { url: v.url ?? env[URL_ENV], token: v.token } };
}
