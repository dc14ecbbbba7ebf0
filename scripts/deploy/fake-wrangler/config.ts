// wrangler.toml as wrangler resolves it for one environment: `<name>-<env>`, inheritable keys, the warnings.
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parse } from "smol-toml";
import { type Args, flag, has } from "./args.ts";
import { at, cwd, envVar } from "./invocation.ts";
import type { Out } from "./out.ts";
import { WranglerError } from "./out.ts";

type Table = Record<string, unknown>;
export interface Route {
  pattern: string;
  custom_domain?: boolean;
  zone_name?: string;
  zone_id?: string;
}

export interface Config {
  /** The config path as wrangler names it in messages (relative to the cwd). */
  file: string;
  /** Absolute path of the config file. */
  path: string;
  dir: string;
  env: string;
  hasEnvs: boolean;
  topName: string;
  name: string;
  main: string | null;
  raw: Table;
  vars: Table;
  kv: { binding: string; id?: string }[];
  r2: { binding: string; bucket_name: string }[];
  services: { binding: string; service: string; entrypoint?: string }[];
  producers: { binding: string; queue: string }[];
  consumers: { queue: string; dead_letter_queue?: string }[];
  durableObjects: { name: string; class_name: string; script_name?: string }[];
  routes: Route[];
  workersDev: boolean;
  previewUrls: boolean;
  crons: string[];
  migrations: { tag: string }[];
  secretsRequired: string[];
  observability: Table | null;
  assets: Table | null;
}

// What wrangler does not inherit into [env.*] (validation.ts), among what this fake prints.
const NOT_INHERITED = ["vars", "durable_objects", "kv_namespaces", "queues", "r2_buckets", "services"];

const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const tbl = (v: unknown): Table | null =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Table) : null;

/** The --env the command runs with: the flag (even ""), else CLOUDFLARE_ENV; undefined when neither. */
export function envArg(args: Args): string | undefined {
  return has(args, "env") ? (flag(args, "env") ?? "") : envVar("CLOUDFLARE_ENV");
}

export function readConfig(args: Args, out: Out, command: string | null): Config | null {
  const path = flag(args, "config") ?? (existsSync(at("wrangler.toml")) ? "wrangler.toml" : undefined);
  if (!path) return null;
  const abs = at(path);
  if (!existsSync(abs)) throw new WranglerError(`The specified configuration file "${path}" does not exist.`);
  const top = parse(readFileSync(abs, "utf8")) as Table;
  const file = relative(cwd(), abs) || path;
  const envs = tbl(top.env) ?? {};
  const hasEnvs = Object.keys(envs).length > 0;
  const env = envArg(args);
  if (command && hasEnvs && env === undefined) {
    out.warn(
      `Multiple environments are defined in the Wrangler configuration file, but no target environment was specified for the ${command} command.`,
      [
        "To avoid unintentional changes to the wrong environment, it is recommended to explicitly specify the target environment using the `-e|--env` flag or CLOUDFLARE_ENV env variable.",
        'If your intention is to use the top-level environment of your configuration simply pass an empty string to the flag to target such environment. For example `--env=""`.',
      ],
    );
  }
  const envName = env ?? "";
  const own = envName ? tbl(envs[envName]) : top;
  if (envName && !own) {
    out.warn(`Processing ${file} configuration:`, [
      `  - No environment found in configuration with name "${envName}".`,
      `    Before using \`--env=${envName}\` there should be an equivalent environment section in the configuration.`,
      "",
      "    Consider adding an environment configuration section to the wrangler.toml file:",
      "    ```",
      `    [env.${envName}]`,
      "    ```",
      "",
    ]);
  }
  if (envName && own) inheritanceWarnings(file, envName, top, own, out);
  // Inheritable keys fall back to the top level; the rest come from the environment alone. A missing
  // environment runs on the top-level settings (only the name gets the suffix).
  const section = own ?? top;
  const get = (k: string) => (own && k in own ? own[k] : top[k]);
  const pick = (k: string) => section[k];
  const topName = String(top.name ?? "");
  const name =
    envName && own && typeof own.name === "string" ? own.name : envName ? `${topName}-${envName}` : topName;
  const queues = tbl(pick("queues")) ?? {};
  const routes = arr<Route | string>(get("routes")).map((r) => (typeof r === "string" ? { pattern: r } : r));
  if (typeof get("route") === "string") routes.push({ pattern: String(get("route")) });
  const workersDev =
    typeof get("workers_dev") === "boolean" ? Boolean(get("workers_dev")) : routes.length === 0;
  const main = typeof get("main") === "string" ? resolve(dirname(abs), String(get("main"))) : null;
  return {
    file,
    path: abs,
    dir: dirname(abs),
    env: envName,
    hasEnvs,
    topName,
    name,
    main,
    raw: top,
    vars: tbl(pick("vars")) ?? {},
    kv: arr(pick("kv_namespaces")),
    r2: arr(pick("r2_buckets")),
    services: arr(pick("services")),
    producers: arr(queues.producers),
    consumers: arr(queues.consumers),
    durableObjects: arr(tbl(pick("durable_objects"))?.bindings),
    routes,
    workersDev,
    previewUrls: typeof get("preview_urls") === "boolean" ? Boolean(get("preview_urls")) : workersDev,
    crons: arr<string>(tbl(get("triggers"))?.crons),
    migrations: arr(get("migrations")),
    secretsRequired: arr<string>(tbl(pick("secrets"))?.required),
    observability: tbl(get("observability")),
    assets: tbl(get("assets")),
  };
}

function inheritanceWarnings(file: string, env: string, top: Table, own: Table, out: Out): void {
  const notes: string[] = [];
  const domains = arr<Route | string>(top.routes).filter((r) => typeof r !== "string" && r.custom_domain);
  if (domains.length > 0 && !("routes" in own)) {
    notes.push(
      `- The "env.${env}" environment inherits the top-level \`routes\` configuration, which includes the custom domain(s): ${domains
        .map((r) => (typeof r === "string" ? r : r.pattern))
        .join(
          ", ",
        )}. Deploying this environment will reassign these custom domains away from the top-level Worker. Add \`"routes": []\` to "env.${env}" to prevent inheritance, or copy the route configuration from the top level to hide this warning.`,
    );
  }
  for (const key of NOT_INHERITED) {
    if (key in top && !(key in own)) {
      notes.push(
        `- "${key}" exists at the top level, but not on "env.${env}".`,
        `  This is not what you probably want, since "${key}" is not inherited by environments.`,
        `  Please add "${key}" to "env.${env}".`,
      );
    }
  }
  if (notes.length === 0) return;
  out.warn(`Processing ${file} configuration:`, [
    "",
    `  - "env.${env}" environment configuration`,
    ...notes.map((n) => `    ${n}`),
  ]);
}

export function requireConfig(config: Config | null): Config {
  if (!config) throw new WranglerError("Missing entry-point to Worker script or to assets directory");
  return config;
}
