// `wrangler secret put|bulk|list|delete`: values on stdin or in a file, draft Workers, versions per change.
import { readFileSync } from "node:fs";
import { requireAuth } from "./account.ts";
import { type Args, flag } from "./args.ts";
import type { Config } from "./config.ts";
import { at } from "./invocation.ts";
import { type Out, WranglerError } from "./out.ts";
import { latestDeployment, type State, type Worker } from "./state.ts";

function workerName(args: Args, config: Config | null): string {
  const name = flag(args, "name") ?? config?.name;
  if (!name) {
    throw new WranglerError(
      "Required Worker name missing. Please specify the Worker name in your wrangler.toml file, or pass it as an argument with `--name <worker-name>`",
    );
  }
  return name;
}

function createDraft(state: State, out: Out, name: string): Worker {
  out.log(
    `? There doesn't seem to be a Worker called "${name}". Do you want to create a new Worker with that name and add secrets to it?`,
  );
  out.log("🤖 Using fallback value in non-interactive context: yes");
  out.log(`🌀 Creating new Worker "${name}"...`);
  const w = state.createWorker(name);
  const v = state.addVersion(w, { triggered_by: "upload", tag: null, message: null, migration_tag: null });
  state.addDeployment(
    w,
    [{ version_id: v.id, percentage: 100 }],
    "upload",
    "Automatic deployment on upload.",
  );
  return w;
}

/** A secret change deploys a new version of what runs now; the API refuses it while that is not the latest. */
function secretChange(state: State, w: Worker, versionsCommand: string, change: () => void): void {
  const d = latestDeployment(w);
  const latest = w.versions.at(-1);
  const only = d?.versions.length === 1 ? d.versions[0] : undefined;
  if (latest && (!only || only.version_id !== latest.id || only.percentage !== 100)) {
    throw new WranglerError(
      "Secret edit failed. You attempted to modify a secret, but the latest version of your Worker isn't currently deployed.",
      [
        "This limitation exists to prevent accidental deployment when using Worker versions and secrets together.",
        "To resolve this, you have two options:",
        `(1) use the \`${versionsCommand}\` instead, which allows you to update secrets without deploying; or`,
        "(2) deploy the latest version first, then modify secrets.",
        "Alternatively, you can use the Cloudflare dashboard to modify secrets and deploy the version.",
      ],
      false,
      10215,
    );
  }
  change();
  const v = state.addVersion(w, {
    triggered_by: "secret",
    tag: null,
    message: null,
    migration_tag: latest?.migration_tag ?? null,
  });
  state.addDeployment(w, [{ version_id: v.id, percentage: 100 }], "secret", null);
}

function readInput(file: string | undefined, stdin: string): Record<string, string | null> | null {
  const text = file ? readFileSync(at(file), "utf8") : stdin;
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as Record<string, string | null>;
  } catch {
    const entries = text
      .split(/\r?\n/)
      .map((l) => /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)?\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] ?? "", (m[2] ?? "").replace(/^(['"])(.*)\1$/, "$2")]);
    return Object.fromEntries(entries);
  }
}

export function secret(args: Args, state: State, out: Out, config: Config | null, stdin: string): number {
  const [, sub, key] = args.positionals;
  const format = flag(args, "format") ?? "json";
  if (!(sub === "list" && format === "json")) out.banner();
  const name = workerName(args, config);
  requireAuth(state);
  const w = state.worker(name);
  if (sub === "list") {
    if (!w) {
      const env = config?.env ? ` (env: ${config.env})` : "";
      throw new WranglerError(`Worker "${name}"${env} not found.`, [
        "",
        "If this is a new Worker, run `wrangler deploy` first to create it.",
        "Otherwise, check that the Worker name is correct and you're logged into the right account.",
      ]);
    }
    const names = Object.keys(w.secrets).sort();
    if (format === "pretty") for (const n of names) out.log(`Secret Name: ${n}\n`);
    else
      out.log(
        JSON.stringify(
          names.map((n) => ({ name: n, type: "secret_text" })),
          null,
          "  ",
        ),
      );
    return 0;
  }
  if (sub === "put" && key) {
    out.log(`🌀 Creating the secret for the Worker "${name}"`);
    const target = w ?? createDraft(state, out, name);
    secretChange(state, target, "wrangler versions secret put", () => {
      target.secrets[key] = stdin.trimEnd();
    });
    out.log(`✨ Success! Uploaded secret ${key}`);
    return 0;
  }
  if (sub === "delete" && key) {
    out.log(`? Are you sure you want to permanently delete the secret ${key} on the Worker ${name}?`);
    out.log("🤖 Using fallback value in non-interactive context: yes");
    out.log(`🌀 Deleting the secret ${key} on the Worker ${name}`);
    if (!w) throw new WranglerError(`Worker "${name}" not found.`);
    secretChange(state, w, "wrangler versions secret delete", () => {
      delete w.secrets[key];
    });
    out.log(`✨ Success! Deleted secret ${key}`);
    return 0;
  }
  if (sub === "bulk") return bulk(state, out, name, w, readInput(key, stdin));
  throw new WranglerError(`fake wrangler: unsupported command: secret ${sub ?? ""}`);
}

function bulk(
  state: State,
  out: Out,
  name: string,
  w: Worker | undefined,
  content: Record<string, string | null> | null,
): number {
  out.log(`🌀 Processing the secrets for the Worker "${name}"`);
  if (!content) {
    // wrangler logs this as an error but returns normally: exit code 0.
    out.errorLine("🚨 No content found in file, or piped input.");
    return 0;
  }
  const created = Object.keys(content).filter((k) => content[k] != null);
  const deleted = Object.keys(content).filter((k) => content[k] == null);
  const target = w ?? (created.length > 0 ? createDraft(state, out, name) : undefined);
  if (!target) throw new WranglerError(`Worker "${name}" not found.`);
  secretChange(state, target, "wrangler versions secret bulk", () => {
    for (const k of deleted) delete target.secrets[k];
    for (const k of created) target.secrets[k] = String(content[k]);
  });
  for (const k of deleted) out.log(`💥 Successfully deleted secret for key: ${k}`);
  for (const k of created) out.log(`✨ Successfully created secret for key: ${k}`);
  out.log();
  out.log("Finished processing secrets file:");
  if (deleted.length > 0) out.log(`💥 ${deleted.length} secrets successfully deleted`);
  if (created.length > 0) out.log(`✨ ${created.length} secrets successfully created`);
  if (deleted.length + created.length === 0) out.log("No secrets were created or deleted");
  return 0;
}
