// What a deploy would do and what stops it, from the configs alone (pure: no I/O).
import { disagreements } from "./agree.ts";
import { PLACEHOLDER_KV_ID, type WorkerConfig } from "./configs.ts";
import { isPublic } from "./resources.ts";

/** Environments where a public Worker must have a route or custom domain. */
export const NEEDS_ROUTES = ["production"];

export const NO_ROUTE =
  "has no route or custom domain, so it would answer on *.workers.dev only, where the Cache API does " +
  "nothing: the edge cache would be silently off and every request would reach the origin. Add one to its " +
  '[env.ENV] in ROUTES_CONFIG, e.g. routes = [{ pattern = "www.example.com", custom_domain = true }] ' +
  "(docs/deploy.md).";

/** Reasons the environment cannot be deployed as configured. */
export function refusals(workers: WorkerConfig[], env: string): string[] {
  const out = disagreements(workers).map((d) => `the configs disagree: ${d}`);
  for (const w of workers) {
    const unset = w.kv.filter((k) => !k.id || k.id === PLACEHOLDER_KV_ID).map((k) => k.binding);
    if (unset.length > 0) {
      out.push(
        `${w.config} [env.${env}] has no KV namespace id for ${unset.join(", ")}: npm run provision -- --env ${env}`,
      );
    }
    if (NEEDS_ROUTES.includes(env) && isPublic(w) && w.routes.length === 0) {
      out.push(`${w.name} ${NO_ROUTE.replace("ENV", env).replace("ROUTES_CONFIG", w.config)}`);
    }
  }
  return out;
}

/** Things worth saying that do not stop the deploy. */
export function warnings(workers: WorkerConfig[], env: string): string[] {
  return workers
    .filter((w) => !NEEDS_ROUTES.includes(env) && isPublic(w) && w.routes.length === 0)
    .map(
      (w) =>
        `${w.name} answers on workers.dev only: fine for ${env}, but the edge cache is off there (no Cache API)`,
    );
}

export interface PlanOptions {
  env: string;
  gradual: number | null;
  migrations: string;
}

/** The steps, in order, as a person would run them by hand. */
export function planLines(order: WorkerConfig[], o: PlanOptions): string[] {
  const target = (w: WorkerConfig) => `-c ${w.config} --env ${o.env}`;
  const lines = [`migrations: ${o.migrations}`];
  if (o.gradual === null) {
    for (const w of order) lines.push(`deploy ${w.name}: wrangler deploy ${target(w)}`);
    return lines;
  }
  for (const w of order) {
    const note =
      w.migrationTags.length > 0 ? " (refused if its Durable Object migration is new: deploy in full)" : "";
    lines.push(`upload ${w.name}: wrangler versions upload ${target(w)}${note}`);
  }
  for (const w of order) {
    lines.push(
      `split ${w.name}: wrangler versions deploy <new>@${o.gradual}% <current>@${100 - o.gradual}% ${target(w)}`,
    );
  }
  return lines;
}
