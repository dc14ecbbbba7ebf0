// What `npm run new-site` changes, as pure text transforms: the site module's values, the site's name in
// resource names, the edge's routes, the mail domain, the R2 CORS origins, the package name.
import { parse } from "smol-toml";
import { setTomlValue } from "../deploy/toml-edit.ts";

export interface SiteValues {
  name: string;
  title: string;
  cookiePrefix: string;
}

export interface NewSite extends SiteValues {
  /** Host names the edge answers on, per deployed environment (none: workers.dev, no edge cache). */
  domains: Record<string, string>;
}

export interface NewSiteOptions {
  name: string;
  title?: string | undefined;
  cookiePrefix?: string | undefined;
  domain?: string | undefined;
  stagingDomain?: string | undefined;
}

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const HOST = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const COOKIE_PREFIX = /^[a-z][a-z0-9_]{0,15}$/;
const SITE_FIELDS = ["name", "title", "cookiePrefix"] as const;

/** Why the options cannot make a site, or null. Names end up in Worker, queue and bucket names (≤ 63). */
export function invalid(o: NewSiteOptions): string | null {
  if (!NAME.test(o.name) || o.name.length < 2 || o.name.length > 40) {
    return `"${o.name}" cannot name a site: 2–40 characters, lowercase letters, digits and single dashes, starting with a letter (it becomes ${o.name}-edge, ${o.name}-jobs-dlq-production, ${o.name}-uploads…)`;
  }
  for (const [flag, host] of [
    ["--domain", o.domain],
    ["--staging-domain", o.stagingDomain],
  ] as const) {
    if (host !== undefined && !HOST.test(host)) {
      return `${flag} takes a host name such as www.example.com (no scheme, path or wildcard), not "${host}"`;
    }
  }
  if (o.stagingDomain !== undefined && o.domain === undefined) return "--staging-domain needs --domain";
  if (o.domain !== undefined && o.domain === o.stagingDomain) return "staging needs a host of its own";
  if (o.cookiePrefix !== undefined && !COOKIE_PREFIX.test(o.cookiePrefix)) {
    return `--cookie-prefix takes up to 16 lowercase letters, digits and underscores, not "${o.cookiePrefix}"`;
  }
  if (o.title !== undefined && (!o.title.trim() || /[\n"\\]/.test(o.title))) {
    return "--title takes one line of text without quotes or backslashes";
  }
  return null;
}

/** The domain without a leading `www.`: where mail comes from, and what staging's host hangs off. */
export const apexOf = (host: string): string => host.replace(/^www\./, "");

/** The values the site module should hold, from what it holds now and the options (defaults keep the rest). */
export function planSite(current: SiteValues, o: NewSiteOptions): NewSite {
  const renamed = current.name !== o.name;
  const domains: Record<string, string> = {};
  if (o.domain) {
    domains.production = o.domain;
    domains.staging = o.stagingDomain ?? `staging.${apexOf(o.domain)}`;
  }
  return {
    name: o.name,
    title: o.title ?? (renamed ? o.name : current.title),
    cookiePrefix: o.cookiePrefix ?? (renamed ? `${o.name.replace(/-/g, "_")}_` : current.cookiePrefix),
    domains,
  };
}

const fieldLine = (field: string) => new RegExp(`^(\\s*${field}: )"((?:[^"\\\\]|\\\\.)*)",$`, "m");

/** The SITE values in shared/site/index.ts; throws if the module no longer has its `field: "value",` lines. */
export function readSite(module: string): SiteValues {
  const values = SITE_FIELDS.map((f) => {
    const m = fieldLine(f).exec(module);
    if (!m) throw new Error(`shared/site/index.ts has no \`${f}: "…",\` line in SITE`);
    return JSON.parse(`"${m[2]}"`) as string;
  });
  const [name = "", title = "", cookiePrefix = ""] = values;
  return { name, title, cookiePrefix };
}

export function writeSite(module: string, values: SiteValues): string {
  return SITE_FIELDS.reduce(
    (text, f) => text.replace(fieldLine(f), (_, head: string) => `${head}${JSON.stringify(values[f])},`),
    module,
  );
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The site's name where it starts a resource name in a config: `"<name>-jobs-dlq"`, `"<name> <no-reply@…>"`,
 * `https://<name>-edge-staging.…`. Only at the start of a quoted value or after a slash, so other words stay.
 */
export function renameResources(text: string, from: string, to: string): string {
  if (from === to) return text;
  return text.replace(new RegExp(`(?<=["/])${escapeRe(from)}(?=[-" <.])`, "g"), to);
}

/** `routes` of the edge's `[env.<env>]`: the host as a custom domain (Cloudflare adds DNS and a certificate). */
export function setRoute(edgeConfig: string, env: string, host: string): string {
  const raw = parse(edgeConfig) as { env?: Record<string, { routes?: unknown }> };
  if (!raw.env?.[env]) throw new Error(`the edge config has no [env.${env}]`);
  const value = `[{ pattern = ${JSON.stringify(host)}, custom_domain = true }]`;
  return setTomlValue(edgeConfig, { table: `env.${env}`, key: "routes", value, literal: true });
}

/** The host of the edge's first route in an environment, if it has one. */
export function routeOf(edgeConfig: string, env: string): string | null {
  const raw = parse(edgeConfig) as { env?: Record<string, { routes?: ({ pattern?: string } | string)[] }> };
  const first = raw.env?.[env]?.routes?.[0];
  const pattern = typeof first === "string" ? first : first?.pattern;
  return pattern ? pattern.replace(/^\*\.?/, "").replace(/\/.*$/, "") : null;
}

/** Deployed mail comes from the site's own domain (`EMAIL_FROM = "<name> <no-reply@…>"`); local mail stays local. */
export function setMailDomain(config: string, apex: string): string {
  return config.replace(
    /^(\s*EMAIL_FROM\s*=\s*"[^"@]*@)([^">]+)(>?"\s*(?:#.*)?)$/gm,
    (line, head: string, host: string, tail: string) =>
      host === "localhost" ? line : `${head}${apex}${tail}`,
  );
}

/**
 * The R2 CORS rule's origins for a bucket the browsers on `host` upload to: that origin first; the template's
 * placeholders (www.example.com, *.workers.dev) and the previous host go; origins a person added stay.
 */
export function setCorsOrigin(json: string, host: string, previous: string | null): string {
  const doc = JSON.parse(json) as { rules: { allowed: { origins: string[] } }[] };
  const drop = (o: string) =>
    o === `https://${host}` ||
    o === "https://www.example.com" ||
    o.endsWith(".workers.dev") ||
    (previous !== null && o === `https://${previous}`);
  for (const rule of doc.rules)
    rule.allowed.origins = [`https://${host}`, ...rule.allowed.origins.filter((o) => !drop(o))];
  return `${JSON.stringify(doc, null, 2).replace(/\[\n\s+("[^"\n]*"(?:,\n\s+"[^"\n]*")*)\n\s+\]/g, (_, items: string) => `[${items.replace(/,\n\s+/g, ", ")}]`)}\n`;
}

/** package.json / package-lock.json: the project's own name (the lockfile holds it twice), nothing else. */
export function renamePackage(json: string, from: string, to: string, times: number): string {
  let left = times;
  return json.replace(new RegExp(`"name": "${escapeRe(from)}"`, "g"), (m) =>
    left-- > 0 ? `"name": "${to}"` : m,
  );
}
