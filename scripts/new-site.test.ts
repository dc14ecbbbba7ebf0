// `npm run new-site` on a copy of the repository: one run renames every site-specific value, the configs agree,
// the fork typechecks and bundles with the real wrangler, and a second run changes nothing.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SITE, TEMPLATE_NAME } from "../shared/site/index.ts";
import { disagreements } from "./deploy/agree.ts";
import { bundleWorkers } from "./deploy/bundle.ts";
import { environments, readWorkers } from "./deploy/configs.ts";
import { refusals } from "./deploy/plan.ts";
import { leftovers, type NewSiteResult, newSite } from "./new-site.ts";

const repo = resolve(import.meta.dirname, "..");
const NAME = "newsite-check";
const ARGS = [NAME, "--domain", "www.newsite-check.test", "--title", "Newsite Check"];

/** Every file's hash, outside what is generated or installed. */
function snapshot(root: string, dir = root): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory() && ![".build", ".data", "node_modules"].includes(e.name))
      Object.assign(out, snapshot(root, path));
    else if (e.isFile())
      out[relative(root, path)] = createHash("sha1").update(readFileSync(path)).digest("hex");
  }
  return out;
}

describe("npm run new-site on a fresh copy of the template", () => {
  let dir = "";
  let root = "";
  let first: NewSiteResult;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "new-site-"));
    root = join(dir, "fork");
    const tracked = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: repo,
      encoding: "utf8",
    });
    for (const file of tracked.split("\0").filter(Boolean)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      try {
        cpSync(join(repo, file), join(root, file));
      } catch {
        // Deleted in the working tree but still in the index.
      }
    }
    symlinkSync(join(repo, "node_modules"), join(root, "node_modules"), "dir");
    first = newSite(root, ARGS, () => {});
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves the template's name nowhere the site uses it", () => {
    expect(first.previous).toBe(SITE.name);
    expect(leftovers(root, [TEMPLATE_NAME])).toEqual([]);
    // In the template the two names are one; a fork's own name may be a common word (its leftovers are a hint).
    if (SITE.name === TEMPLATE_NAME) expect(first.leftovers).toEqual([]);
    expect(readFileSync(join(root, "README.md"), "utf8")).toMatch(new RegExp(`^# ${NAME}\n`));
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name).toBe(NAME);
    expect(first.changed).toEqual(
      expect.arrayContaining([
        "wrangler.toml",
        "shared/site/index.ts",
        "workers/edge/worker-configuration.d.ts",
      ]),
    );
  });

  it("derives the cookies, headers, cache name, queues and database from the site module", async () => {
    const site = (await import(
      pathToFileURL(join(root, "shared/site/index.ts")).href
    )) as typeof import("../shared/site/index.ts");
    expect(site.SITE).toEqual({ name: NAME, title: "Newsite Check", cookiePrefix: "newsite_check_" });
    expect(site.CACHE_NAME).toBe(NAME);
    expect(site.HEADER_PREFIX).toBe(`x-${NAME}-`);
    expect(site.cookieName("ryw")).toBe("newsite_check_ryw");
    expect(site.SITE_IDENT).toBe("newsite_check");
    expect(site.isDeadLetterQueue(`${NAME}-jobs-dlq-production`)).toBe(true);
  });

  it("names every Worker, queue and bucket after the site, and the configs agree in every environment", () => {
    for (const env of ["", ...environments(root)]) {
      const workers = readWorkers(root, env);
      expect(disagreements(workers), env).toEqual([]);
      const suffix = env ? `-${env}` : "";
      expect(workers.map((w) => w.name)).toEqual(
        ["edge", "origin", "jobs"].map((r) => `${NAME}-${r}${suffix}`),
      );
      const names = workers.flatMap((w) => [
        ...w.producers.map((p) => p.queue),
        ...w.consumers.flatMap((c) => [c.queue, c.deadLetterQueue ?? c.queue]),
        ...w.r2.map((b) => b.bucket),
        ...w.services.map((s) => s.service),
      ]);
      for (const n of names) expect(n, env).toMatch(new RegExp(`^${NAME}-[a-z-]+${suffix}$`));
    }
  });

  it("puts the edge on the site's domains: production is deployable once provisioned", () => {
    const production = readWorkers(root, "production");
    expect(production[0]?.routes).toEqual([
      { pattern: "www.newsite-check.test", customDomain: true, zone: null },
    ]);
    expect(readWorkers(root, "staging")[0]?.routes[0]?.pattern).toBe("staging.newsite-check.test");
    expect(refusals(production, "production").filter((r) => !r.includes("npm run provision"))).toEqual([]);
    const cors = JSON.parse(readFileSync(join(root, "workers/origin/r2-cors.production.json"), "utf8"));
    expect(cors.rules[0].allowed.origins).toEqual(["https://www.newsite-check.test"]);
    expect(readFileSync(join(root, "workers/jobs/wrangler.toml"), "utf8")).toContain(
      'EMAIL_FROM = "newsite-check <no-reply@newsite-check.test>"',
    );
  });

  it("bundles all three Workers for production with the real wrangler, and typechecks", async () => {
    // Bundling builds the hashed assets first, whose manifest the code's types read.
    const bundles = await bundleWorkers({ root, env: "production" });
    const tsc = spawnSync("npx", ["tsc", "-p", "."], { cwd: root, encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
    expect(bundles.map((b) => b.role)).toEqual(["edge", "origin", "jobs"]);
    for (const b of bundles) expect(b.gzip).toBeGreaterThan(1000);
  }, 120_000);

  it("changes nothing when run again", () => {
    const before = snapshot(root);
    const again = newSite(root, ARGS, () => {});
    expect(again.changed).toEqual([]);
    expect(snapshot(root)).toEqual(before);
  }, 60_000);
});
