// Account-level commands: whoami, KV namespaces, R2 buckets (and their CORS rules), queues.
import { readFileSync } from "node:fs";
import { type Args, flag, has } from "./args.ts";
import { type Config, envArg } from "./config.ts";
import { at, envVar } from "./invocation.ts";
import { apiError, boxTable, type Out, WranglerError } from "./out.ts";
import type { State } from "./state.ts";

/** The account the command acts on; wrangler refuses before any request without a token (non-interactive). */
export function requireAuth(state: State): string {
  if (!envVar("CLOUDFLARE_API_TOKEN")) {
    throw new WranglerError(
      "In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN environment variable for wrangler to work. Please go to https://developers.cloudflare.com/fundamentals/api/get-started/create-token/ for instructions on how to create an api token, and assign its value to CLOUDFLARE_API_TOKEN.",
      [
        "",
        "To continue without logging in, rerun this command with `--temporary`. Wrangler will use a temporary account and print a claim URL.",
      ],
    );
  }
  return envVar("CLOUDFLARE_ACCOUNT_ID") || state.data.account.id;
}

/** `getValidBindingName`: what wrangler suggests as the binding in its snippets. */
function bindingName(name: string, fallback: string): string {
  const b = name
    .replace(/[\s-]/g, "_")
    .replace(/[^A-Za-z0-9_]/g, "")
    .replace(/_+/g, "_");
  return b === "" ? fallback : /^[0-9]/.test(b) ? `_${b}` : b;
}

const inEnv = (env: string | undefined) => (env ? ` in the "${env}" environment` : "");

export function whoami(args: Args, state: State, out: Out): number {
  const a = state.data.account;
  const json = has(args, "json");
  if (!envVar("CLOUDFLARE_API_TOKEN")) {
    if (json) {
      out.log();
      out.log('{"loggedIn":false}');
      return 1;
    }
    out.banner();
    out.log("Getting User settings...");
    out.log("You are not authenticated. Please run `wrangler login`.");
    out.log(
      "To deploy without logging in, run a command like `wrangler deploy --temporary` to use a temporary preview account.",
    );
    return 0;
  }
  if (json) {
    const body = {
      loggedIn: true,
      authType: "User API Token",
      email: a.email,
      accounts: [{ id: a.id, name: a.name }],
    };
    out.log(JSON.stringify(body, null, 4));
    return 0;
  }
  out.banner();
  out.log("Getting User settings...");
  out.log(`👋 You are logged in with an User API Token, associated with the email ${a.email}.`);
  out.log("ℹ️  The API Token is read from the CLOUDFLARE_API_TOKEN environment variable.");
  for (const line of boxTable(["Account Name", "Account ID"], [[a.name, a.id]])) out.log(line);
  out.log("🔓 To see token permissions visit https://dash.cloudflare.com/profile/api-tokens");
  return 0;
}

export function kv(args: Args, state: State, out: Out, config: Config | null): number {
  const [, , sub, namespace] = args.positionals;
  if (sub === "list") {
    requireAuth(state);
    const list = [...state.data.kv]
      .sort((x, y) => x.title.localeCompare(y.title))
      .map((n) => ({ id: n.id, title: n.title, supports_url_encoding: true }));
    out.log(JSON.stringify(list, null, "  "));
    return 0;
  }
  if (sub !== "create" || !namespace)
    throw new WranglerError("Not enough non-option arguments: got 0, need at least 1");
  out.banner();
  requireAuth(state);
  const env = envArg(args);
  const preview = has(args, "preview");
  const title = `${env ? `${env}-` : ""}${namespace}${preview ? "_preview" : ""}`;
  out.log("Resource location: remote ");
  out.log();
  out.log(`🌀 Creating namespace with title "${title}"`);
  if (state.data.kv.some((n) => n.title === title)) {
    throw new WranglerError(`A KV namespace with the title "${title}" already exists.`, [
      "",
      "You can list existing namespaces with their IDs by running:",
      "  wrangler kv namespace list",
      "",
      "Or choose a different namespace name.",
    ]);
  }
  const id = state.hex32();
  state.data.kv.push({ id, title });
  out.log("✨ Success!");
  out.log(
    `To access your new KV Namespace in your Worker, add the following snippet to your configuration file${inEnv(env)}:`,
  );
  const binding = flag(args, "binding") ?? bindingName(namespace, "KV");
  const idKey = preview ? "preview_id" : "id";
  if (config) {
    out.log("[[kv_namespaces]]");
    out.log(`binding = "${binding}"`);
    out.log(`${idKey} = "${id}"`);
    out.log();
  } else out.log(JSON.stringify({ kv_namespaces: [{ binding, [idKey]: id }] }, null, 2));
  return 0;
}

export function r2(args: Args, state: State, out: Out, config: Config | null): number {
  const [, sub, third, fourth] = args.positionals;
  out.banner();
  const account = requireAuth(state);
  if (sub === "bucket" && third === "list") {
    out.log("Listing buckets...");
    out.log(
      state.data.buckets
        .map((b) => `name:           ${b.name}\ncreation_date:  ${b.creation_date}`)
        .join("\n\n"),
    );
    return 0;
  }
  if (sub === "bucket" && third === "create" && fourth) {
    if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(fourth)) {
      throw new WranglerError(
        `The bucket name "${fourth}" is invalid. Bucket names must begin and end with an alphanumeric character, only contain lowercase letters, numbers, and hyphens, and be between 3 and 63 characters long.`,
      );
    }
    out.log(`Creating bucket '${fourth}'...`);
    if (state.data.buckets.some((b) => b.name === fourth)) {
      throw apiError(
        `/accounts/${account}/r2/buckets`,
        "The bucket you tried to create already exists, and you own it.",
        10004,
      );
    }
    state.data.buckets.push({ name: fourth, creation_date: state.now(), cors: null });
    out.log(`✅ Created bucket '${fourth}' with default storage class of Standard.`);
    out.log(
      `To access your new R2 Bucket in your Worker, add the following snippet to your configuration file${inEnv(envArg(args))}:`,
    );
    const binding = flag(args, "binding") ?? bindingName(fourth, "r2");
    if (config) {
      out.log("[[r2_buckets]]");
      out.log(`bucket_name = "${fourth}"`);
      out.log(`binding = "${binding}"`);
      out.log();
    } else out.log(JSON.stringify({ r2_buckets: [{ bucket_name: fourth, binding }] }, null, 2));
    return 0;
  }
  if (sub === "bucket" && third === "cors") return cors(args, state, out, account);
  throw new WranglerError(`fake wrangler: unsupported command: r2 ${args.positionals.slice(1).join(" ")}`);
}

function cors(args: Args, state: State, out: Out, account: string): number {
  const [, , , action, name] = args.positionals;
  const bucket = state.data.buckets.find((b) => b.name === name);
  const missing = () =>
    apiError(`/accounts/${account}/r2/buckets/${name}/cors`, "The specified bucket does not exist.", 10006);
  if (action === "set" && name) {
    const file = flag(args, "file");
    if (!file) throw new WranglerError("Missing required argument: file");
    const body = JSON.parse(readFileSync(at(file), "utf8")) as { rules?: unknown; CORSRules?: unknown };
    if (body.CORSRules) {
      throw new WranglerError("Wrangler detected an AWS S3 CORS configuration format.", [
        "Cloudflare R2 expects a 'rules' array instead of 'CORSRules'.",
        "See: https://developers.cloudflare.com/r2/buckets/cors/#example",
      ]);
    }
    if (!Array.isArray(body.rules)) {
      throw new WranglerError(
        "The CORS configuration file must contain a 'rules' array as expected by the R2 API: https://developers.cloudflare.com/api/operations/r2-put-bucket-cors-policy",
      );
    }
    if (!has(args, "force")) {
      out.log(`? Are you sure you want to overwrite the existing CORS configuration for bucket '${name}'?`);
      out.log("🤖 Using fallback value in non-interactive context: yes");
    }
    out.log(`Setting CORS configuration (${body.rules.length} rules) for bucket '${name}'...`);
    if (!bucket) throw missing();
    bucket.cors = body.rules;
    out.log(`✨ Set CORS configuration for bucket '${name}'.`);
    return 0;
  }
  if (action === "list" && name) {
    out.log(`Listing CORS rules for bucket '${name}'...`);
    if (!bucket) throw missing();
    const rules = (bucket.cors ?? []) as {
      allowed?: { origins?: string[]; methods?: string[]; headers?: string[] };
      exposeHeaders?: string[];
      maxAgeSeconds?: number;
    }[];
    if (rules.length === 0) {
      out.log(`There is no CORS configuration defined for bucket '${name}'.`);
      return 0;
    }
    const list = (v: string[] | undefined, none: string) => (v && v.length > 0 ? v.join(", ") : none);
    out.log(
      rules
        .map((r) =>
          [
            `allowed_origins:  ${list(r.allowed?.origins, "(no origins)")}`,
            `allowed_methods:  ${list(r.allowed?.methods, "(no methods)")}`,
            `allowed_headers:  ${list(r.allowed?.headers, "(no headers)")}`,
            `exposed_headers:  ${list(r.exposeHeaders, "(no exposed headers)")}`,
            `max_age_seconds:  ${r.maxAgeSeconds ?? "(0 seconds)"}`,
          ].join("\n"),
        )
        .join("\n\n"),
    );
    return 0;
  }
  throw new WranglerError(`fake wrangler: unsupported command: r2 bucket cors ${action ?? ""}`);
}

export function queues(args: Args, state: State, out: Out, config: Config | null): number {
  const [, sub, name] = args.positionals;
  out.banner();
  const account = requireAuth(state);
  if (sub === "list") {
    const page = Number(flag(args, "page") ?? "1");
    const rows = state.data.queues.slice((page - 1) * 100, page * 100).map((q) => {
      const count = (kind: "producers" | "consumers") =>
        String(
          Object.values(state.data.workers).filter((w) => (w[kind] ?? []).includes(q.queue_name)).length,
        );
      return [q.queue_id, q.queue_name, q.created_on, q.created_on, count("producers"), count("consumers")];
    });
    if (rows.length === 0) out.log();
    else {
      const head = ["id", "name", "created_on", "modified_on", "producers", "consumers"];
      for (const line of boxTable(head, rows)) out.log(line);
    }
    return 0;
  }
  if (sub !== "create" || !name)
    throw new WranglerError(`fake wrangler: unsupported command: queues ${sub ?? ""}`);
  out.log(`🌀 Creating queue '${name}'`);
  if (state.data.queues.some((q) => q.queue_name === name)) {
    throw apiError(
      `/accounts/${account}/queues`,
      `Queue name '${name}' is already taken. Please use a different name and try again.`,
      11009,
    );
  }
  state.data.queues.push({ queue_id: state.hex32(), queue_name: name, created_on: state.now() });
  out.log(`✅ Created queue '${name}'`);
  const binding = bindingName(name, "queue");
  const snippet = (kind: string, lines: string[]) =>
    config ? [`[[queues.${kind}]]`, ...lines] : [JSON.stringify({ queues: { [kind]: [{}] } })];
  out.log();
  out.log("Configure your Worker to send messages to this queue:");
  out.log();
  for (const l of snippet("producers", [`queue = "${name}"`, `binding = "${binding}"`])) out.log(l);
  out.log();
  out.log("Configure your Worker to consume messages from this queue:");
  out.log();
  for (const l of snippet("consumers", [`queue = "${name}"`])) out.log(l);
  out.log();
  return 0;
}
