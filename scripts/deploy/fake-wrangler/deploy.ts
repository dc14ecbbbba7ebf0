// `wrangler deploy` (with --dry-run --outdir) and `wrangler versions upload`, with the API's refusals.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { requireAuth } from "./account.ts";
import { type Args, flag, has } from "./args.ts";
import { bundleOf, printBindings, totalUpload } from "./bindings.ts";
import type { Config, Route } from "./config.ts";
import { at } from "./invocation.ts";
import { apiError, HAIR, type Out, WranglerError } from "./out.ts";
import { writeRecord } from "./output-file.ts";
import { latestDeployment, type State, type Worker } from "./state.ts";
import { versionBlock } from "./versions.ts";

const secs = (n: number) => `(${n.toFixed(2)} sec)`;

function assetsLine(out: Out, config: Config): void {
  const dir = config.assets && typeof config.assets.directory === "string" ? config.assets.directory : null;
  if (!dir) return;
  const abs = resolve(config.dir, dir);
  const count = existsSync(abs)
    ? readdirSync(abs, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length
    : 0;
  out.log(`✨ Read ${count} files from the assets directory ${abs}`);
}

function secretsFile(args: Args): Record<string, string> {
  const file = flag(args, "secrets-file");
  if (!file) return {};
  const text = readFileSync(at(file), "utf8");
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return Object.fromEntries(
      text
        .split(/\r?\n/)
        .map((l) => /^\s*([\w.-]+)\s*=\s*(.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1] ?? "", m[2] ?? ""]),
    );
  }
}

/** wrangler looks the queues up itself before it bundles. */
function checkQueues(state: State, config: Config): void {
  for (const q of [...config.producers.map((p) => p.queue), ...config.consumers.map((c) => c.queue)]) {
    if (!state.data.queues.some((x) => x.queue_name === q)) {
      throw new WranglerError(`Queue "${q}" does not exist. To create it, run: wrangler queues create ${q}`);
    }
  }
}

/** What the API checks on upload: namespaces, buckets and service targets must exist. */
function checkResources(state: State, config: Config, account: string): void {
  const path = `/accounts/${account}/workers/scripts/${config.name}`;
  for (const k of config.kv) {
    if (!state.data.kv.some((n) => n.id === k.id)) {
      throw apiError(
        path,
        `KV namespace '${k.id}' is not valid. Please verify the namespace_id in your configuration.`,
        10042,
      );
    }
  }
  for (const b of config.r2) {
    if (!state.data.buckets.some((x) => x.name === b.bucket_name)) {
      throw apiError(
        path,
        `R2 bucket '${b.bucket_name}' not found. Please use a different name and try again.`,
        10085,
      );
    }
  }
  for (const s of config.services) {
    if (!state.worker(s.service)) {
      throw apiError(
        path,
        `Could not resolve service binding '${s.binding}'. Target script '${s.service}' not found. Please verify the target script and try again.`,
        10143,
      );
    }
  }
}

function routeLabel(r: Route): string {
  if (r.custom_domain) return `${r.pattern} (custom domain)`;
  if (r.zone_name) return `${r.pattern} (zone name: ${r.zone_name})`;
  if (r.zone_id) return `${r.pattern} (zone id: ${r.zone_id})`;
  return r.pattern;
}

/** Custom domains are validated before anything is sent. */
function checkCustomDomains(config: Config): void {
  const bad = config.routes.filter(
    (r) => r.custom_domain && (r.pattern.includes("*") || r.pattern.includes("/")),
  );
  if (bad.length > 0) {
    throw new WranglerError("Invalid Routes:", [
      ...bad.flatMap((r) => [
        `${r.pattern}:`,
        ...(r.pattern.includes("*") ? ["Wildcard operators (*) are not allowed in Custom Domains"] : []),
        ...(r.pattern.includes("/") ? ["Paths are not allowed in Custom Domains"] : []),
      ]),
    ]);
  }
}

/** Zones and route ownership are checked when the triggers are deployed, after the upload. */
function checkRoutes(state: State, config: Config): void {
  for (const r of config.routes) {
    const host = r.pattern.replace(/\/.*$/, "").replace(/^\*\.?/, "");
    if (!state.data.zones.some((z) => host === z || host.endsWith(`.${z}`))) {
      throw new WranglerError(
        `Could not find zone for \`${host}\`. Make sure the domain is set up to be proxied by Cloudflare.`,
        [
          "For more details, refer to https://developers.cloudflare.com/workers/configuration/routing/routes/#set-up-a-route",
        ],
      );
    }
    const owner = Object.values(state.data.workers).find(
      (w) => w.name !== config.name && w.routes.includes(r.pattern),
    );
    if (owner) {
      throw new WranglerError("Can't deploy routes that are assigned to another worker.", [
        `"${owner.name}" is already assigned to routes:`,
        `  - ${r.pattern}`,
      ]);
    }
  }
}

/** The upload: on success the API's startup time, then the bindings; on failure the bindings, then the error. */
function uploaded(out: Out, config: Config, hidden: string[], upload: () => void): void {
  try {
    upload();
  } catch (e) {
    printBindings(out, config, hidden);
    throw e;
  }
  out.log("Worker Startup Time: 12 ms");
  printBindings(out, config, hidden);
}

function splitWarning(out: Out, state: State, w: Worker): void {
  const d = latestDeployment(w);
  if (!d || d.versions.length < 2) return;
  out.log(
    `╭${HAIR} WARNING ${HAIR}Your last deployment has multiple versions. To progress that deployment use "wrangler versions deploy" instead.`,
  );
  out.log("│");
  out.log(`├ Your last deployment has ${d.versions.length} version(s):`);
  out.log("│");
  for (const v of d.versions) versionBlock(out, state, w, v.version_id, `(${v.percentage}%) `);
  out.log('├ "wrangler deploy" will upload a new version and deploy it globally immediately.');
  out.log("Are you sure you want to continue?");
  out.log("│ yes ");
  out.log("│");
}

export function deploy(args: Args, state: State, out: Out, config: Config): number {
  out.banner();
  const code = bundleOf(config);
  if (has(args, "dry-run")) {
    assetsLine(out, config);
    const size = totalUpload(out, code);
    if (!printBindings(out, config)) out.log("No bindings found.");
    const outdir = flag(args, "outdir");
    if (outdir) writeOutdir(at(outdir), config, code, flag(args, "metafile"));
    writeRecord({
      type: "deploy",
      worker_name: config.name,
      worker_tag: null,
      version_id: null,
      size,
      config,
    });
    out.log("--dry-run: exiting now.");
    return 0;
  }
  const account = requireAuth(state);
  const supplied = secretsFile(args);
  let w = state.worker(config.name);
  const missing = (have: string[]) => config.secretsRequired.filter((s) => !have.includes(s));
  if (!w && missing(Object.keys(supplied)).length > 0) {
    throw new WranglerError(
      `The following required secrets have not been set: ${missing(Object.keys(supplied)).join(", ")}`,
      [
        "This Worker does not exist yet, so secrets cannot be set in advance with `wrangler secret put`.",
        "To deploy a new Worker with secrets, supply them via a secrets file:",
        "  wrangler deploy --secrets-file <path-to-file>",
        "where the file contains lines in the format `SECRET_NAME=value` (or JSON).",
        "See \x1b[4mhttps://developers.cloudflare.com/workers/configuration/secrets/#secrets-on-deployed-workers\x1b[0m for more information.",
      ],
    );
  }
  checkCustomDomains(config);
  if (w) splitWarning(out, state, w);
  checkQueues(state, config);
  assetsLine(out, config);
  const size = totalUpload(out, code);
  uploaded(out, config, Object.keys(supplied), () => {
    const unset = w ? missing([...Object.keys(w.secrets), ...Object.keys(supplied)]) : [];
    if (unset.length > 0) {
      throw new WranglerError(`The following required secrets have not been set: ${unset.join(", ")}`, [
        "Use `wrangler secret put <NAME>` to set secrets before deploying,",
        "or supply them when deploying with `wrangler deploy --secrets-file <path-to-file>`.",
        "See https://developers.cloudflare.com/workers/configuration/secrets/#secrets-on-deployed-workers for more information.",
      ]);
    }
    checkResources(state, config, account);
  });
  w ??= state.createWorker(config.name);
  Object.assign(w.secrets, supplied);
  w.migration_tag = config.migrations.at(-1)?.tag ?? w.migration_tag;
  const v = state.addVersion(w, {
    triggered_by: "upload",
    tag: flag(args, "tag") ?? null,
    message: flag(args, "message") ?? null,
    migration_tag: w.migration_tag,
  });
  state.addDeployment(
    w,
    [{ version_id: v.id, percentage: 100 }],
    "upload",
    "Automatic deployment on upload.",
  );
  w.routes = config.routes.map((r) => r.pattern);
  w.producers = config.producers.map((p) => p.queue);
  w.consumers = config.consumers.map((c) => c.queue);
  out.log(`Uploaded ${config.name} ${secs(0.07)}`);
  checkRoutes(state, config);
  const url = `https://${config.name}.${state.data.account.subdomain}.workers.dev`;
  const targets = [
    ...(config.workersDev ? [url] : []),
    ...config.routes.map(routeLabel),
    ...config.crons.map((c) => `schedule: ${c}`),
    ...config.producers.map((p) => `Producer for ${p.queue}`),
    ...config.consumers.map((c) => `Consumer for ${c.queue}`),
  ];
  if (targets.length > 0) {
    out.log(`Deployed ${config.name} triggers ${secs(0.03)}`);
    for (const t of targets) out.log(`  ${t}`);
  } else out.log(`No targets deployed for ${config.name} ${secs(0.01)}`);
  out.log(`Current Version ID: ${v.id}`);
  writeRecord({
    type: "deploy",
    worker_name: config.name,
    worker_tag: `tag-${config.name}`,
    version_id: v.id,
    targets: [...(config.workersDev ? [url] : []), ...config.routes.map((r) => r.pattern)],
    size,
    config,
  });
  return 0;
}

function writeOutdir(dir: string, config: Config, code: string, metafile: string | undefined): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.js"), code);
  writeFileSync(join(dir, "index.js.map"), JSON.stringify({ version: 3, sources: [], mappings: "" }));
  writeFileSync(
    join(dir, "README.md"),
    `This folder contains the built output assets for the worker "${config.name}" generated at ${new Date().toISOString()}.`,
  );
  if (metafile !== undefined) {
    // Inputs relative to the config's folder, as esbuild names them; a missing entry point counts as the config.
    const input = relative(config.dir, config.main && existsSync(config.main) ? config.main : config.path);
    const bytes = Buffer.byteLength(code);
    const meta = {
      inputs: { [input]: { bytes, imports: [] } },
      outputs: {
        "index.js": { bytes, inputs: { [input]: { bytesInOutput: bytes } }, imports: [], exports: [] },
      },
    };
    writeFileSync(metafile === "" ? join(dir, "bundle-meta.json") : at(metafile), JSON.stringify(meta));
  }
}

export function versionsUpload(args: Args, state: State, out: Out, config: Config): number {
  out.banner();
  requireAuth(state);
  const w = state.worker(config.name);
  if (!w) {
    throw new WranglerError(
      "You cannot upload a new version of a Worker that does not yet exist. Please run the `deploy` command first.",
    );
  }
  const tag = config.migrations.at(-1)?.tag ?? null;
  if (tag !== null && tag !== w.migration_tag) {
    throw new WranglerError(
      "This Worker has a pending Durable Object migration, which cannot be applied by `wrangler versions upload`. Durable Object migrations must be applied with `wrangler deploy`. Run `wrangler deploy` to apply the migration, then retry `wrangler versions upload`.",
    );
  }
  checkQueues(state, config);
  const size = totalUpload(out, bundleOf(config));
  uploaded(out, config, Object.keys(secretsFile(args)), () =>
    checkResources(state, config, requireAuth(state)),
  );
  const v = state.addVersion(w, {
    triggered_by: "version_upload",
    tag: flag(args, "tag") ?? null,
    message: flag(args, "message") ?? null,
    migration_tag: w.migration_tag,
  });
  out.log(`Uploaded ${config.name} ${secs(0.06)}`);
  out.log(`Worker Version ID: ${v.id}`);
  const preview = `https://${v.id.slice(0, 8)}-${config.name}.${state.data.account.subdomain}.workers.dev`;
  if (config.previewUrls) out.log(`Version Preview URL: ${preview}`);
  out.log();
  out.log("To deploy this version to production traffic use the command wrangler versions deploy");
  out.log();
  out.log(
    "Changes to non-versioned settings (config properties 'logpush' or 'tail_consumers') take effect after your next deployment using the command wrangler versions deploy",
  );
  out.log();
  out.log(
    "Changes to triggers (routes, custom domains, cron schedules, etc) must be applied with the command wrangler triggers deploy",
  );
  out.log();
  writeRecord({
    type: "version-upload",
    worker_name: config.name,
    worker_tag: `tag-${config.name}`,
    version_id: v.id,
    ...(config.previewUrls ? { preview_url: preview } : {}),
    size,
    config,
  });
  return 0;
}
