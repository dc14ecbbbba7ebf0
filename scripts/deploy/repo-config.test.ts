// The repository's own operations config: CI workflows, dependency updates, install-script approvals.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
};

describe("GitHub workflows", () => {
  const files = readdirSync(join(root, ".github/workflows")).filter((f) => /\.ya?ml$/.test(f));

  it.each(files)("%s is a valid workflow", (file) => {
    expect(validateWorkflow(read(`.github/workflows/${file}`)).errors).toEqual([]);
  });

  it("CI installs from the lockfile with npm's cache and runs the suite", () => {
    const ci = read(".github/workflows/ci.yml");
    expect(ci).toMatch(/cache: npm/);
    expect(ci).toMatch(/run: npm ci\b/);
    expect(ci).toMatch(/run: npm test\b/);
  });

  it("deploy runs after CI on main: staging, then production behind its environment, secrets by name", () => {
    const deploy = read(".github/workflows/deploy.yml");
    expect(deploy).toMatch(/workflow_run:\s+workflows: \[CI\]\s+types: \[completed\]\s+branches: \[main\]/);
    expect(deploy).toMatch(/conclusion == 'success'/);
    expect(deploy).toMatch(/production:\s+needs: staging[\s\S]*environment:\s+name: production/);
    expect(deploy).toMatch(/npm run deploy -- --env staging/);
    expect(deploy).toMatch(/npm run deploy -- --env production/);
    const secrets = [...deploy.matchAll(/\$\{\{ secrets\.(\w+) \}\}/g)].map((m) => m[1]);
    expect(new Set(secrets)).toEqual(
      new Set(["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID", "DIRECT_DATABASE_URL"]),
    );
  });
});

describe("Renovate", () => {
  const config = JSON.parse(read("renovate.json")) as {
    rangeStrategy: string;
    packageRules: { matchPackageNames?: string[]; allowedVersions?: string; groupName?: string }[];
  };

  it("keeps exact pins exact and holds each pinned package at the version package.json has", () => {
    expect(config.rangeStrategy).toBe("pin");
    const held = config.packageRules.filter(
      (r) => r.allowedVersions && /^\d+\.\d+\.\d+$/.test(r.allowedVersions),
    );
    expect(held.flatMap((r) => r.matchPackageNames)).toEqual([
      "wrangler",
      "@cloudflare/vitest-plugin",
      "@biomejs/biome",
    ]);
    for (const rule of held) {
      for (const name of rule.matchPackageNames ?? []) {
        expect(pkg.devDependencies[name], `${name} in package.json`).toBe(rule.allowedVersions);
      }
    }
  });

  it("groups updates", () => {
    expect(config.packageRules.map((r) => r.groupName).filter(Boolean)).toEqual([
      "worker runtime",
      "dev tooling",
      "github actions",
    ]);
  });
});

describe("npm install scripts", () => {
  it("approves exactly the packages in the lockfile that have install scripts (every platform's)", () => {
    const lock = JSON.parse(read("package-lock.json")) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length));
    // Name-only entries: the lockfile has no resolved URLs, so npm cannot verify a pinned version.
    expect(Object.keys(pkg.allowScripts).sort(), "npm install-scripts approve <name>").toEqual(
      [...new Set(withScripts)].sort(),
    );
    expect(Object.values(pkg.allowScripts).every((v) => v === true)).toBe(true);
  });
});
