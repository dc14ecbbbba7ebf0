// Which secret goes to which Worker, generated or given, checked before anything is sent (pure: no I/O).
import { randomBytes } from "node:crypto";
import { isPostgresUrl } from "../../shared/env/index.ts";
import { isTestSecret } from "../../shared/turnstile/index.ts";

/** Random values the Workers share; generated once and given to every Worker that requires them. */
export const GENERATED = ["EDGE_SECRET", "ADMIN_TOKEN"];

/** Signing keys verified against a keyring: rotating one sets `<NAME>_NEXT` first (shared/trust/keyring.ts). */
export const KEYRING = ["EDGE_SECRET"];

export const HELP: Record<string, string> = {
  DATABASE_URL: "Neon's pooled connection string (host …-pooler…), postgres://…",
  REPLICA_URLS: "the read replicas' pooled connection strings, comma-separated",
  UPSTASH_REDIS_REST_URL: "Upstash console → your database → REST API → UPSTASH_REDIS_REST_URL (https://…)",
  UPSTASH_REDIS_REST_TOKEN: "Upstash console → your database → REST API → UPSTASH_REDIS_REST_TOKEN",
  R2_ACCESS_KEY_ID: "dashboard → R2 → Manage API tokens → a token with Object Read & Write on the bucket",
  R2_SECRET_ACCESS_KEY: "the secret access key shown with R2_ACCESS_KEY_ID",
  CF_API_TOKEN:
    "an API token with Zone → Cache Purge for your zone (empty: purges reach one data centre only)",
  TURNSTILE_SECRET_KEY:
    "dashboard → Turnstile → your widget → Secret key (its site key is TURNSTILE_SITE_KEY in the config)",
  RESEND_API_KEY: 'Resend → API Keys (only when EMAIL_TRANSPORT is "resend")',
};

/** Secrets that may be empty: the Worker then falls back (see HELP). */
const MAY_BE_EMPTY = new Set(["CF_API_TOKEN", "REPLICA_URLS"]);

export const generateSecret = (): string => randomBytes(32).toString("base64url");

/** Null when `value` is acceptable for `name`, else why not (said before any Worker gets it). */
export function checkSecret(name: string, value: string): string | null {
  if (value === "" && !MAY_BE_EMPTY.has(name)) return `${name} is empty`;
  if (name === "DATABASE_URL" && !isPostgresUrl(value)) return "DATABASE_URL must be a postgres:// URL";
  if (name === "REPLICA_URLS") {
    const bad = value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "" && !isPostgresUrl(s));
    if (bad.length > 0) return "REPLICA_URLS must be postgres:// URLs, comma-separated";
  }
  if (name === "UPSTASH_REDIS_REST_URL" && !/^https:\/\//.test(value))
    return "UPSTASH_REDIS_REST_URL must be https://…";
  if (name === "TURNSTILE_SECRET_KEY" && isTestSecret(value))
    return "TURNSTILE_SECRET_KEY is one of Cloudflare's test keys, which pass or fail every visitor: use your widget's key";
  if (GENERATED.includes(name) && value.length < 16) return `${name} must be at least 16 characters`;
  return null;
}

export interface SecretRow {
  role: string;
  name: string;
  status: "set" | "generated" | "kept";
}

export interface SecretPlan {
  /** Per Worker role: the secrets to send (one `secret bulk` each). */
  send: Map<string, Record<string, string>>;
  rows: SecretRow[];
  /** Required names with no value given and not yet set on some Worker: name → roles. */
  missing: Map<string, string[]>;
  problems: string[];
  /** Generated values a person needs later (the admin token for the CLIs). */
  show: Record<string, string>;
}

/**
 * `required`: role → names its config requires; `existing`: role → names already set on Cloudflare;
 * `given`: values from the environment (or a prompt). A given value is always sent; a generated one only when
 * some Worker lacks it, and then to every Worker that requires it, so they all hold the same value.
 */
export function planSecrets(
  required: Map<string, string[]>,
  existing: Map<string, Set<string>>,
  given: Record<string, string | undefined>,
  generate: () => string = generateSecret,
): SecretPlan {
  const plan: SecretPlan = { send: new Map(), rows: [], missing: new Map(), problems: [], show: {} };
  const names = [...new Set([...required.values()].flat())];
  for (const name of names) {
    const roles = [...required].filter(([, n]) => n.includes(name)).map(([r]) => r);
    const complete = roles.every((r) => existing.get(r)?.has(name));
    let value = given[name];
    let status: SecretRow["status"] = "set";
    if (value === undefined && GENERATED.includes(name) && !complete) {
      value = generate();
      status = "generated";
      if (name === "ADMIN_TOKEN") plan.show[name] = value;
    }
    if (value === undefined) {
      if (complete) for (const role of roles) plan.rows.push({ role, name, status: "kept" });
      else
        plan.missing.set(
          name,
          roles.filter((r) => !existing.get(r)?.has(name)),
        );
      continue;
    }
    const problem = checkSecret(name, value);
    if (problem) {
      plan.problems.push(problem);
      continue;
    }
    for (const role of roles) {
      plan.send.set(role, { ...plan.send.get(role), [name]: value });
      plan.rows.push({ role, name, status });
    }
  }
  return plan;
}
