// The three Workers as one environment of their wrangler configs, read by wrangler itself (names, bindings, routes).
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "smol-toml";
import { unstable_readConfig } from "wrangler";
import { WORKER_CONFIGS } from "../lib/workers.ts";

export interface Route {
  pattern: string;
  customDomain: boolean;
  zone: string | null;
}

export interface WorkerConfig {
  /** The Worker's folder under workers/ ("edge", "origin", "jobs"): the key for budgets and messages. */
  role: string;
  /** Config path relative to the project root, as passed to `wrangler -c`. */
  config: string;
  /** "" is the top level (local dev and tests); deployed environments are named. */
  env: string;
  /** The deployed script name for this environment (`<name>-<env>` unless the environment names it). */
  name: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  services: { binding: string; service: string }[];
  /** Durable Object bindings to a class another Worker hosts (`script_name`): they order the deploy too. */
  objects: { binding: string; service: string }[];
  kv: { binding: string; id: string }[];
  r2: { binding: string; bucket: string }[];
  producers: { binding: string; queue: string }[];
  consumers: { queue: string; deadLetterQueue: string | null }[];
  routes: Route[];
  workersDev: boolean;
  migrationTags: string[];
  secrets: string[];
  vars: Record<string, string>;
}

/** The part of wrangler's resolved config this module reads (wrangler's own types for it are not shipped). */
interface ResolvedConfig {
  name?: string;
  main?: string;
  compatibility_date?: string;
  compatibility_flags: string[];
  routes?: (string | { pattern: string; custom_domain?: boolean })[];
  route?: string | { pattern: string; custom_domain?: boolean };
  workers_dev?: boolean;
  services?: { binding: string; service?: string }[];
  durable_objects?: { bindings?: { name: string; class_name: string; script_name?: string }[] };
  kv_namespaces: { binding: string; id?: string }[];
  r2_buckets: { binding: string; bucket_name?: string }[];
  queues: {
    producers?: { binding: string; queue: string }[];
    consumers?: { queue: string; dead_letter_queue?: string }[];
  };
  migrations: { tag: string }[];
  secrets?: { required?: string[] };
  vars: Record<string, unknown>;
}

export const PLACEHOLDER_KV_ID = "00000000000000000000000000000000";

function route(r: string | { pattern: string; custom_domain?: boolean }): Route {
  if (typeof r === "string") return { pattern: r, customDomain: false, zone: null };
  const zone = "zone_name" in r ? String(r.zone_name) : "zone_id" in r ? String(r.zone_id) : null;
  return { pattern: r.pattern, customDomain: r.custom_domain === true, zone };
}

/** The role is the folder of the Worker's entry point: workers/edge/index.ts → "edge". */
export function roleOf(main: string, root: string): string {
  const parts = relative(root, main).split(/[\\/]/);
  return parts.length >= 2 ? (parts[parts.length - 2] ?? "worker") : "worker";
}

export function readWorker(root: string, config: string, env: string): WorkerConfig {
  const c = unstable_readConfig(
    { config: join(root, config), env: env || undefined },
    { hideWarnings: true },
  ) as unknown as ResolvedConfig;
  const routes = [...(c.routes ?? []), ...(c.route ? [c.route] : [])].map(route);
  return {
    role: roleOf(c.main ?? join(root, config), root),
    config,
    env,
    name: c.name ?? "",
    compatibilityDate: c.compatibility_date ?? "",
    compatibilityFlags: c.compatibility_flags,
    services: (c.services ?? []).map((s) => ({ binding: s.binding, service: s.service ?? "" })),
    objects: (c.durable_objects?.bindings ?? []).flatMap((d) =>
      d.script_name ? [{ binding: d.name, service: d.script_name }] : [],
    ),
    kv: c.kv_namespaces.map((k) => ({ binding: k.binding, id: k.id ?? "" })),
    r2: c.r2_buckets.map((b) => ({ binding: b.binding, bucket: b.bucket_name ?? "" })),
    producers: c.queues.producers?.map((p) => ({ binding: p.binding, queue: p.queue })) ?? [],
    consumers:
      c.queues.consumers?.map((q) => ({ queue: q.queue, deadLetterQueue: q.dead_letter_queue ?? null })) ??
      [],
    routes,
    // wrangler's own default: workers.dev is on unless routes exist.
    workersDev: c.workers_dev ?? routes.length === 0,
    migrationTags: c.migrations.map((m) => m.tag),
    secrets: c.secrets?.required ?? [],
    vars: Object.fromEntries(Object.entries(c.vars).map(([k, v]) => [k, String(v)])),
  };
}

/** The three Workers for one environment, in config order. */
export function readWorkers(root: string, env: string, configs = WORKER_CONFIGS): WorkerConfig[] {
  return configs.map((config) => readWorker(root, config, env));
}

/** Environments every config defines (`[env.<name>]`), so one name deploys all three Workers. */
export function environments(root: string, configs = WORKER_CONFIGS): string[] {
  const sets = configs.map((config) => {
    const raw = parse(readFileSync(join(root, config), "utf8")) as { env?: Record<string, unknown> };
    return new Set(Object.keys(raw.env ?? {}));
  });
  const [first, ...rest] = sets;
  return [...(first ?? [])].filter((e) => rest.every((s) => s.has(e)));
}
