// `npm run new-site -- <name> [--domain www.example.com] [--staging-domain …] [--title "…"] [--cookie-prefix …]`:
// makes the template a site of its own in one step (shared/site, the wrangler configs' names, routes, mail domain,
// R2 CORS origins, package name, binding types). Running it again with the same arguments changes nothing.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { TEMPLATE_NAME } from "../shared/site/index.ts";
import { fail, step } from "./lib/progress.ts";
import {
  apexOf,
  invalid,
  type NewSite,
  planSite,
  readSite,
  renamePackage,
  renameResources,
  routeOf,
  setCorsOrigin,
  setMailDomain,
  setRoute,
  writeSite,
} from "./lib/rename-site.ts";
import { WORKER_CONFIGS } from "./lib/workers.ts";

export const SITE_MODULE = "shared/site/index.ts";
/** The front door's config: the routes live there. */
const EDGE_CONFIG = "wrangler.toml";
const USAGE =
  'usage: npm run new-site -- <name> [--domain www.example.com] [--staging-domain staging.example.com] [--title "…"] [--cookie-prefix xy_]';

/** Files where the old name is history or a test fixture, not something the running site uses. */
const NOT_THE_SITE = [
  /\.md$/,
  /^docs\//,
  /^LICENSE$/,
  /^migrations\//,
  /\/golden\//,
  /\.test\.tsx?$/,
  /^test\//,
  /^scripts\/db\/safety-corpus\//,
];
const SKIP_DIRS = new Set(["node_modules", ".build", ".data", ".git", ".wrangler"]);

export const mattersForRename = (path: string): boolean => !NOT_THE_SITE.some((r) => r.test(path));

function files(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : files(root, join(dir, e.name));
    return e.isFile() ? [relative(root, join(dir, e.name))] : [];
  });
}

/** `file:line` of each mention of an old name where it matters (the template's own name is allowed once). */
export function leftovers(root: string, oldNames: string[]): string[] {
  // Any spelling: `<name>-jobs`, `<NAME>_URL`, `<name>_replica`.
  const words = oldNames.map((n) => new RegExp(n.replace(/-/g, "[-_]"), "i"));
  const out: string[] = [];
  for (const path of files(root).filter(mattersForRename)) {
    const lines = readFileSync(join(root, path), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (words.some((w) => w.test(line)) && !line.includes("TEMPLATE_NAME =")) out.push(`${path}:${i + 1}`);
    });
  }
  return out;
}

export interface NewSiteResult {
  site: NewSite;
  previous: string;
  /** Files whose content changed, relative to the root. */
  changed: string[];
  leftovers: string[];
}

type Edit = [path: string, change: (text: string) => string];

function edits(root: string, from: string, site: NewSite): Edit[] {
  const edgeBefore = readFileSync(join(root, EDGE_CONFIG), "utf8");
  const configs: Edit[] = WORKER_CONFIGS.map((config) => [
    config,
    (text) => {
      let out = renameResources(text, from, site.name);
      if (config === EDGE_CONFIG)
        for (const [env, host] of Object.entries(site.domains)) out = setRoute(out, env, host);
      if (site.domains.production) out = setMailDomain(out, apexOf(site.domains.production));
      return out;
    },
  ]);
  const cors: Edit[] = WORKER_CONFIGS.flatMap((config) =>
    ["staging", "production"].map((env): Edit => {
      const host = site.domains[env];
      return [
        join(dirname(config), `r2-cors.${env}.json`),
        (text) => {
          const renamed = renameResources(text, from, site.name);
          return host ? setCorsOrigin(renamed, host, routeOf(edgeBefore, env)) : renamed;
        },
      ];
    }),
  );
  return [
    ...configs,
    ...cors,
    ["package.json", (t) => renamePackage(t, from, site.name, 1)],
    ["package-lock.json", (t) => renamePackage(t, from, site.name, 2)],
    ["README.md", (t) => t.replace(new RegExp(`^# ${from}$`, "m"), `# ${site.name}`)],
    // Last: a run stopped half-way still knows the old name from here the next time.
    [SITE_MODULE, (t) => writeSite(t, site)],
  ];
}

function run(root: string, cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
}

export function newSite(root: string, argv: string[], log = step): NewSiteResult {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      domain: { type: "string" },
      "staging-domain": { type: "string" },
      title: { type: "string" },
      "cookie-prefix": { type: "string" },
    },
  });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new Error(USAGE);
  const options = {
    name,
    title: values.title,
    cookiePrefix: values["cookie-prefix"],
    domain: values.domain?.toLowerCase(),
    stagingDomain: values["staging-domain"]?.toLowerCase(),
  };
  const problem = invalid(options);
  if (problem) throw new Error(problem);
  const current = readSite(readFileSync(join(root, SITE_MODULE), "utf8"));
  const site = planSite(current, options);
  log("site", `${current.name} → ${site.name} ("${site.title}", cookies ${site.cookiePrefix}…)`);

  const changed: string[] = [];
  for (const [path, change] of edits(root, current.name, site)) {
    const file = join(root, path);
    if (!existsSync(file)) continue;
    const before = readFileSync(file, "utf8");
    const after = change(before);
    if (after === before) continue;
    writeFileSync(file, after);
    changed.push(path);
    log("changed", path);
  }
  const formattable = changed.filter((p) => /\.(ts|json)$/.test(p) && p !== "package-lock.json");
  if (formattable.length > 0) run(root, "npx", ["biome", "format", "--write", ...formattable]);

  const old = [...new Set([TEMPLATE_NAME, current.name])].filter((n) => !site.name.includes(n));
  // The binding types name the Workers: regenerated after a config changed, or when a run stopped before this.
  const typeFiles = readFileSync(join(root, "scripts/gen-types.sh"), "utf8").match(/[\w/-]+\.d\.ts/g) ?? [];
  const typesBefore = typeFiles.map((f) =>
    existsSync(join(root, f)) ? readFileSync(join(root, f), "utf8") : "",
  );
  const stale = typesBefore.some((t) => old.some((n) => t.includes(`/* ${n}-`)));
  if (stale || changed.some((p) => WORKER_CONFIGS.includes(p))) {
    log("types", "wrangler types for the three Workers");
    run(root, "bash", ["scripts/gen-types.sh"]);
    typeFiles.forEach((f, i) => {
      if (readFileSync(join(root, f), "utf8") !== typesBefore[i]) changed.push(f);
    });
  }
  return { site, previous: current.name, changed, leftovers: leftovers(root, old) };
}

function main(): void {
  const root = resolve(import.meta.dirname, "..");
  let r: NewSiteResult;
  try {
    r = newSite(root, process.argv.slice(2));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (r.leftovers.length > 0) {
    step("warning", `the old name is still used where it matters (move it into ${SITE_MODULE}):`);
    for (const at of r.leftovers.slice(0, 30)) console.log(`            ${at}`);
  }
  const where = Object.entries(r.site.domains).map(([env, host]) => `${env} https://${host}`);
  step(
    "done",
    r.changed.length === 0
      ? `nothing to change: this is already ${r.site.name}`
      : `${r.changed.length} files now say ${r.site.name}${where.length ? `; ${where.join(", ")}` : ""}`,
  );
  console.log(`
  next: npm test                                   (the fork's checks)
        npm run dev                                (a new local database, ${r.site.name.replace(/-/g, "_")}, is created and seeded)
        npm run provision -- --env staging         (then secrets and deploy: docs/forking.md)${
          where.length === 0
            ? "\n        npm run new-site -- " +
              r.site.name +
              " --domain www.your-site.com   (production needs a route)"
            : ""
        }`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
