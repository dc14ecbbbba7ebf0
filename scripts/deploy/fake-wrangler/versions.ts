// `wrangler versions deploy|list`, `deployments list|status` and `rollback`: traffic splits between versions.
import { requireAuth } from "./account.ts";
import { type Args, flag, has } from "./args.ts";
import type { Config } from "./config.ts";
import { apiError, HAIR, type Out, WranglerError } from "./out.ts";
import { writeVersionDeploy } from "./output-file.ts";
import { type Deployment, latestDeployment, type State, type Version, type Worker } from "./state.ts";

const dash = (s: string | null) => (s === null || s === "" ? "-" : s);

function version(w: Worker, id: string): Version | undefined {
  return w.versions.find((v) => v.id === id);
}

/** `│ (10%) <id>` and its Created/Tag/Message lines, as deploy, versions deploy and rollback print them. */
export function versionBlock(out: Out, _state: State, w: Worker, id: string, prefix: string): void {
  const v = version(w, id);
  out.log(`│ ${prefix}${id}`);
  out.log(`│       Created:  ${v?.created_on ?? "-"}`);
  out.log(`│           Tag:  ${dash(v?.tag ?? null)}`);
  out.log(`│       Message:  ${dash(v?.message ?? null)}`);
  out.log("│");
}

function existing(state: State, config: Config, account: string): Worker {
  const w = state.worker(config.name);
  if (!w) {
    throw apiError(
      `/accounts/${account}/workers/scripts/${config.name}/deployments`,
      "This Worker does not exist on your account.",
      10007,
    );
  }
  return w;
}

function current(out: Out, state: State, w: Worker): Deployment | undefined {
  out.log("├ Fetching latest deployment");
  out.log("│");
  const d = latestDeployment(w);
  out.log(`├ Your current deployment has ${d?.versions.length ?? 0} version(s):`);
  out.log("│");
  for (const v of d?.versions ?? []) versionBlock(out, state, w, v.version_id, `(${v.percentage}%) `);
  return d;
}

/** `<id>[@<pct>[%]]` specs; versions without a percentage share what is left. */
function specs(args: Args): { id: string; pct: number | null }[] {
  const list = [...args.positionals.slice(2), ...(args.flags.get("version-id") ?? [])];
  return list.map((s) => {
    const [id = "", pct] = s.split("@");
    return { id, pct: pct === undefined ? null : Number(pct.replace("%", "")) };
  });
}

export function versionsDeploy(args: Args, state: State, out: Out, config: Config): number {
  out.banner();
  const account = requireAuth(state);
  const w = existing(state, config, account);
  out.log("╭ Deploy Worker Versions by splitting traffic between multiple versions");
  out.log("│");
  current(out, state, w);
  out.log("├ Fetching versions");
  out.log("│");
  const chosen = specs(args);
  out.log("├ Which version(s) do you want to deploy?");
  out.log(`├ ${chosen.length} Worker Version(s) selected`);
  out.log("│");
  if (chosen.length === 0) {
    throw new WranglerError(
      "You must select at least 1 version to deploy. Provide a version using positional args (e.g. `wrangler versions deploy <version-id>`), --version-id, or --version-tag.",
    );
  }
  chosen.forEach((c, i) => {
    const v = version(w, c.id);
    if (!v)
      throw apiError(
        `/accounts/${account}/workers/scripts/${config.name}/versions/${c.id}`,
        "Version not found",
        10230,
      );
    out.log(`├     Worker Version ${i + 1}:  ${c.id}`);
    out.log(`│              Created:  ${v.created_on}`);
    out.log(`│                  Tag:  ${dash(v.tag)}`);
    out.log(`│              Message:  ${dash(v.message)}`);
    out.log("│");
  });
  const given = chosen.reduce((s, c) => s + (c.pct ?? 0), 0);
  const open = chosen.filter((c) => c.pct === null).length;
  const split = chosen.map((c) => ({ id: c.id, pct: c.pct ?? (100 - given) / open }));
  for (const [i, c] of split.entries()) {
    out.log(`├${HAIR}What percentage of traffic should Worker Version ${i + 1} receive?`);
    out.log(`├${HAIR}${c.pct}% of traffic`);
    out.log("├");
  }
  const total = split.reduce((s, c) => s + c.pct, 0);
  if (Math.abs(total - 100) > 1e-9) {
    throw new WranglerError(
      `The specified traffic percentages add up to ${total}%, but must total exactly 100%. Adjust the --percentage values or version-spec percentages so they sum to 100%.`,
    );
  }
  const message = flag(args, "message") ?? null;
  if (message !== null) {
    out.log("├ Add a deployment message");
    out.log(`│ Deployment message ${message}`);
  } else out.log("├ Add a deployment message (skipped)");
  out.log("│");
  out.log(`├ Deploying ${split.length} version(s)`);
  out.log("│");
  if (config.observability) {
    out.log("├ Syncing non-versioned settings");
    out.log("│");
    out.log("│ Synced non-versioned settings:");
    out.log("│                      logpush:  false");
    out.log(`│                observability:  enabled:  ${config.observability.enabled === true}`);
    out.log("│               tail_consumers:  <skipped>");
    out.log("│     streaming_tail_consumers:  <skipped>");
  } else out.log("│ No non-versioned settings to sync. Skipping...");
  out.log("│");
  const d = state.addDeployment(
    w,
    split.map((c) => ({ version_id: c.id, percentage: c.pct })),
    "deployment",
    message,
  );
  const summary = split.map((c) => `version ${c.id} at ${c.pct}%`).join(" and ");
  out.log(`╰${HAIR} SUCCESS ${HAIR}Deployed ${config.name} ${summary} (0.02 sec)`);
  writeVersionDeploy(config.name, d.id);
  return 0;
}

const SOURCES: Record<string, string> = {
  upload: "Upload",
  secret: "Secret Change",
  rollback: "Rollback",
  promotion: "Promotion",
};
const source = (triggeredBy: string) => SOURCES[triggeredBy] ?? `Unknown (${triggeredBy})`;

function apiVersion(state: State, v: Version) {
  const annotations: Record<string, string> = { "workers/triggered_by": v.triggered_by };
  if (v.message) annotations["workers/message"] = v.message;
  if (v.tag) annotations["workers/tag"] = v.tag;
  return {
    id: v.id,
    number: v.number,
    metadata: {
      author_id: "abc",
      author_email: state.data.account.email,
      source: "wrangler",
      created_on: v.created_on,
      modified_on: v.created_on,
    },
    annotations,
    resources: {
      bindings: [],
      script: { etag: `etag-${v.number}`, handlers: ["fetch"], last_deployed_from: "wrangler" },
    },
  };
}

function apiDeployment(state: State, d: Deployment) {
  const annotations: Record<string, string> = { "workers/triggered_by": d.triggered_by };
  if (d.message) annotations["workers/message"] = d.message;
  return {
    id: d.id,
    source: "wrangler",
    strategy: "percentage",
    author_email: state.data.account.email,
    created_on: d.created_on,
    versions: d.versions,
    annotations,
  };
}

function deploymentText(out: Out, state: State, w: Worker, d: Deployment): void {
  out.log(`Created:     ${d.created_on}`);
  out.log(`Author:      ${state.data.account.email}`);
  out.log(`Source:      ${source(d.triggered_by)}`);
  out.log(`Message:     ${dash(d.message)}`);
  d.versions.forEach((dv, i) => {
    const v = version(w, dv.version_id);
    if (i > 0) out.log();
    out.log(`${i === 0 ? "Version(s):  " : "             "}(${dv.percentage}%) ${dv.version_id}`);
    out.log(`                 Created:  ${v?.created_on ?? "-"}`);
    out.log(`                     Tag:  ${dash(v?.tag ?? null)}`);
    out.log(`                 Message:  ${dash(v?.message ?? null)}`);
  });
}

export function listings(args: Args, state: State, out: Out, config: Config): number {
  const [group, sub] = args.positionals;
  const json = has(args, "json");
  if (!json) out.banner();
  const account = requireAuth(state);
  const w = existing(state, config, account);
  if (group === "versions" && sub === "list") {
    const versions = [...w.versions].sort((a, b) => a.created_on.localeCompare(b.created_on)).slice(-10);
    if (json)
      out.log(
        JSON.stringify(
          versions.map((v) => apiVersion(state, v)),
          null,
          2,
        ),
      );
    else
      for (const v of versions) {
        out.log(`Version ID:  ${v.id}`);
        out.log(`Created:     ${v.created_on}`);
        out.log(`Author:      ${state.data.account.email}`);
        out.log(`Source:      ${source(v.triggered_by)}`);
        out.log(`Tag:         ${dash(v.tag)}`);
        out.log(`Message:     ${dash(v.message)}`);
        out.log();
      }
    return 0;
  }
  if (group === "deployments" && sub === "list") {
    const list = w.deployments.slice(-10);
    if (json)
      out.log(
        JSON.stringify(
          list.map((d) => apiDeployment(state, d)),
          null,
          2,
        ),
      );
    else
      list.forEach((d, i) => {
        if (i > 0) out.log();
        deploymentText(out, state, w, d);
      });
    return 0;
  }
  if (group === "deployments" && sub === "status") {
    const d = latestDeployment(w);
    if (!d) throw new WranglerError(`The Worker ${config.name} has no deployments.`);
    if (json) out.log(JSON.stringify(apiDeployment(state, d), null, 2));
    else deploymentText(out, state, w, d);
    return 0;
  }
  throw new WranglerError(`fake wrangler: unsupported command: ${group} ${sub ?? ""}`);
}

export function rollback(args: Args, state: State, out: Out, config: Config): number {
  out.banner();
  const account = requireAuth(state);
  const w = existing(state, config, account);
  current(out, state, w);
  let target = args.positionals[1];
  if (!target) {
    out.log("├ Finding latest stable Worker Version to rollback to");
    out.log("│ ");
    out.log("│");
    // wrangler's own choice: the newest earlier deployment with a version at 100% (it may be the current one).
    target = [...w.deployments]
      .slice(-10)
      .reverse()
      .slice(1)
      .find((d) => d.versions.some((v) => v.percentage === 100))
      ?.versions.find((v) => v.percentage === 100)?.version_id;
    if (!target) {
      throw new WranglerError(
        "Could not find stable Worker Version to rollback to. Please try again with an explicit Version ID.",
        [],
        true,
      );
    }
  }
  const message = flag(args, "message") ?? "Rollback";
  out.log("? Please provide an optional message for this rollback (120 characters max)");
  out.log(`🤖 Using default value in non-interactive context: ${message}`);
  out.log("│");
  out.log(`├${HAIR} WARNING ${HAIR}You are about to rollback to Worker Version ${target}.`);
  out.log(
    `│${HAIR}This will immediately replace the current deployment and become the active deployment across all your deployed triggers.`,
  );
  out.log(`│${HAIR}However, your local development environment will not be affected by this rollback.`);
  out.log(
    `│${HAIR}Rolling back to a previous deployment will not rollback any of the bound resources (Durable Object, D1, R2, KV, etc).`,
  );
  out.log("│");
  versionBlock(out, state, w, target, "(100%) ");
  out.log("? Are you sure you want to deploy this Worker Version to 100% of traffic?");
  out.log("🤖 Using fallback value in non-interactive context: yes");
  out.log("Performing rollback...");
  if (!version(w, target)) {
    throw apiError(
      `/accounts/${account}/workers/scripts/${config.name}/versions/${target}`,
      "Version not found",
      10230,
    );
  }
  state.addDeployment(w, [{ version_id: target, percentage: 100 }], "deployment", message);
  out.log("│");
  out.log(`╰${HAIR} SUCCESS ${HAIR}Worker Version ${target} has been deployed to 100% of traffic.`);
  out.log();
  out.log(`Current Version ID: ${target}`);
  return 0;
}
