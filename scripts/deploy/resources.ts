// What an environment needs on the account, read from its Worker configs (pure: no I/O).
import { PLACEHOLDER_KV_ID, type WorkerConfig } from "./configs.ts";

export interface Needs {
  /** One namespace per binding name, shared by every Worker that binds it. */
  kv: { binding: string; roles: string[]; ids: string[] }[];
  queues: string[];
  buckets: { name: string; roles: string[] }[];
}

export function needs(workers: WorkerConfig[]): Needs {
  const kv = new Map<string, { binding: string; roles: string[]; ids: string[] }>();
  for (const w of workers) {
    for (const k of w.kv) {
      const entry = kv.get(k.binding) ?? { binding: k.binding, roles: [], ids: [] };
      entry.roles.push(w.role);
      if (k.id && k.id !== PLACEHOLDER_KV_ID && !entry.ids.includes(k.id)) entry.ids.push(k.id);
      kv.set(k.binding, entry);
    }
  }
  const queues = new Set<string>();
  for (const w of workers) {
    for (const p of w.producers) queues.add(p.queue);
    for (const c of w.consumers) {
      queues.add(c.queue);
      if (c.deadLetterQueue) queues.add(c.deadLetterQueue);
    }
  }
  const buckets = new Map<string, string[]>();
  for (const w of workers)
    for (const b of w.r2) buckets.set(b.bucket, [...(buckets.get(b.bucket) ?? []), w.role]);
  return {
    kv: [...kv.values()],
    queues: [...queues],
    buckets: [...buckets].map(([name, roles]) => ({ name, roles })),
  };
}

/**
 * The site's name, for resources wrangler names itself (KV namespace titles): the Workers' common name prefix,
 * "shop-edge", "shop-origin", "shop-jobs" → "shop". Read from the configs, so renaming the Workers renames it.
 */
export function siteName(names: string[]): string {
  const [first = "site", ...rest] = names;
  let prefix = first;
  for (const n of rest) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const trimmed = prefix.replace(/-+$/, "");
  return trimmed.length >= 2 ? trimmed : first;
}

/** The title `wrangler kv namespace create <site>-<binding> --env <env>` gives a namespace. */
export function kvTitle(site: string, binding: string, env: string): string {
  return `${env ? `${env}-` : ""}${site}-${binding}`;
}

/** Workers the public reaches: routes, or workers.dev. */
export const isPublic = (w: WorkerConfig): boolean => w.routes.length > 0 || w.workersDev;

/** The host names a Worker answers on (routes and custom domains), for CORS checks and the summary. */
export function routeHosts(w: WorkerConfig): string[] {
  return w.routes.map((r) => r.pattern.replace(/^\*\.?/, "").replace(/\/.*$/, ""));
}
