// The text transforms behind `npm run new-site`: each one changes what it names and nothing else, and twice is once.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { SITE } from "../../shared/site/index.ts";
import {
  invalid,
  planSite,
  readSite,
  renamePackage,
  renameResources,
  routeOf,
  setCorsOrigin,
  setMailDomain,
  setRoute,
  writeSite,
} from "./rename-site.ts";

const root = resolve(import.meta.dirname, "../..");
const read = (p: string) => readFileSync(join(root, p), "utf8");
const current = { name: "edgeplate", title: "edgeplate events", cookiePrefix: "ep_" };

// Configs as the template has them (a fork's own configs have other names and routes already).
const EDGE = `name = "edgeplate-edge"

[env.staging]
# routes = [{ pattern = "staging.example.com", custom_domain = true }]

[[env.staging.services]]
binding = "ORIGIN"
service = "edgeplate-origin-staging"

[env.production]
# A route or custom domain is required.

[[env.production.services]]
binding = "ORIGIN"
service = "edgeplate-origin-production"
`;
const JOBS = `[vars]
EMAIL_FROM = "edgeplate <no-reply@localhost>"

[env.staging.vars]
EMAIL_FROM = "edgeplate <no-reply@example.com>"

[env.production.vars]
# An address on an onboarded domain.
EMAIL_FROM = "edgeplate <no-reply@example.com>"
`;
const CORS = `{
  "rules": [
    {
      "allowed": {
        "origins": ["https://edgeplate-edge-staging.example.workers.dev"],
        "methods": ["PUT"],
        "headers": ["content-type"]
      },
      "exposeHeaders": ["etag"],
      "maxAgeSeconds": 3600
    }
  ]
}
`;

describe("options", () => {
  it("refuse names that cannot name Workers, queues and buckets, and malformed hosts", () => {
    expect(invalid({ name: "acme" })).toBeNull();
    expect(
      invalid({ name: "acme-events", domain: "www.acme.com", stagingDomain: "beta.acme.com" }),
    ).toBeNull();
    for (const name of ["Acme", "a", "acme_events", "-acme", "acme-", "acme--x", "9acme", "x".repeat(41)])
      expect(invalid({ name }), name).toMatch(/cannot name a site/);
    for (const domain of ["https://acme.com", "acme.com/", "*.acme.com", "acme", "acme.com:8080"])
      expect(invalid({ name: "acme", domain }), domain).toMatch(/--domain takes a host name/);
    expect(invalid({ name: "acme", stagingDomain: "s.acme.com" })).toMatch(/needs --domain/);
    expect(invalid({ name: "acme", domain: "a.acme.com", stagingDomain: "a.acme.com" })).toMatch(/own/);
    expect(invalid({ name: "acme", cookiePrefix: "A;" })).toMatch(/--cookie-prefix/);
    expect(invalid({ name: "acme", title: 'say "hi"' })).toMatch(/--title/);
  });

  it("default the title and cookie prefix from a new name, and keep them when the name stays", () => {
    expect(planSite(current, { name: "acme", domain: "www.acme.com" })).toEqual({
      name: "acme",
      title: "acme",
      cookiePrefix: "acme_",
      domains: { production: "www.acme.com", staging: "staging.acme.com" },
    });
    expect(planSite(current, { name: "edgeplate" })).toEqual({ ...current, domains: {} });
    expect(planSite(current, { name: "x-y", title: "X & Y", cookiePrefix: "xy_" })).toMatchObject({
      title: "X & Y",
      cookiePrefix: "xy_",
    });
  });
});

describe("the site module", () => {
  const module = read("shared/site/index.ts");

  it("reads and writes SITE's values, touching no other line", () => {
    expect(readSite(module)).toEqual(SITE);
    const next = { name: "zz-renamed", title: "ZZ: renamed", cookiePrefix: "zz_" };
    const written = writeSite(module, next);
    expect(readSite(written)).toEqual(next);
    const changedLines = written.split("\n").filter((l, i) => l !== module.split("\n")[i]);
    expect(changedLines).toEqual([
      '  name: "zz-renamed",',
      '  title: "ZZ: renamed",',
      '  cookiePrefix: "zz_",',
    ]);
    expect(() => readSite("export const SITE = {};")).toThrow(/no `name: "…",` line/);
  });
});

describe("the configs", () => {
  const edge = EDGE;
  const jobs = JOBS;

  it("rename resources that start with the old name, and only those", () => {
    const text = [
      'name = "edgeplate-edge"',
      'service = "edgeplate-origin-staging"',
      'EMAIL_FROM = "edgeplate <no-reply@localhost>"',
      '"origins": ["https://edgeplate-edge-staging.example.workers.dev"]',
      'OTHER = "notedgeplate-x"',
      "# edgeplate in a comment is prose",
    ].join("\n");
    expect(renameResources(text, "edgeplate", "acme").split("\n")).toEqual([
      'name = "acme-edge"',
      'service = "acme-origin-staging"',
      'EMAIL_FROM = "acme <no-reply@localhost>"',
      '"origins": ["https://acme-edge-staging.example.workers.dev"]',
      'OTHER = "notedgeplate-x"',
      "# edgeplate in a comment is prose",
    ]);
    const once = renameResources(jobs, "edgeplate", "acme");
    expect(renameResources(once, "acme", "acme")).toBe(once);
    expect(once).not.toMatch(/"edgeplate/);
    expect(renameResources(EDGE, "edgeplate", "acme")).toContain('service = "acme-origin-production"');
  });

  it("give the edge a custom domain per environment, replacing an earlier one", () => {
    expect(routeOf(edge, "production")).toBeNull();
    const once = setRoute(setRoute(edge, "production", "www.acme.com"), "staging", "staging.acme.com");
    expect(routeOf(once, "production")).toBe("www.acme.com");
    expect(routeOf(once, "staging")).toBe("staging.acme.com");
    expect(setRoute(once, "production", "www.acme.com")).toBe(once);
    const moved = setRoute(once, "production", "acme.org");
    expect(routeOf(moved, "production")).toBe("acme.org");
    expect(moved.match(/^routes = /gm)).toHaveLength(2);
    expect(() => setRoute(edge, "preview", "x.acme.com")).toThrow(/no \[env\.preview\]/);
  });

  it("send deployed mail from the site's domain and leave local mail local", () => {
    const out = setMailDomain(jobs, "acme.com");
    expect(out.match(/EMAIL_FROM = .*/g)).toEqual([
      'EMAIL_FROM = "edgeplate <no-reply@localhost>"',
      'EMAIL_FROM = "edgeplate <no-reply@acme.com>"',
      'EMAIL_FROM = "edgeplate <no-reply@acme.com>"',
    ]);
    expect(setMailDomain(out, "acme.com")).toBe(out);
  });
});

describe("the R2 CORS rule", () => {
  const cors = CORS;

  it("allows the site's origin, drops the template's placeholders and the old host, keeps added ones", () => {
    const origins = (json: string) =>
      (JSON.parse(json) as { rules: { allowed: { origins: string[] } }[] }).rules[0]?.allowed.origins;
    const once = setCorsOrigin(cors, "staging.acme.com", null);
    expect(origins(once)).toEqual(["https://staging.acme.com"]);
    expect(setCorsOrigin(once, "staging.acme.com", "staging.acme.com")).toBe(once);
    const added = once.replace(
      '["https://staging.acme.com"]',
      '["https://staging.acme.com", "http://localhost:3000"]',
    );
    expect(origins(setCorsOrigin(added, "beta.acme.com", "staging.acme.com"))).toEqual([
      "https://beta.acme.com",
      "http://localhost:3000",
    ]);
  });
});

it("renames the package, not a dependency of the same name", () => {
  const lock =
    '{ "name": "edgeplate", "packages": { "": { "name": "edgeplate" }, "x": { "name": "edgeplate" } } }';
  expect(renamePackage(lock, "edgeplate", "acme", 2)).toBe(
    '{ "name": "acme", "packages": { "": { "name": "acme" }, "x": { "name": "edgeplate" } } }',
  );
});
