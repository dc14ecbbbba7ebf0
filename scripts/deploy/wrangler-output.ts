// Reading wrangler 4.155.0's output: lists, ids and refusals (formats as documented in docs/deploy.md's sources).

// biome-ignore lint/suspicious/noControlCharactersInRegex: wrangler colours its errors with ANSI escapes.
const ANSI = /\x1b\[[0-9;]*m/g;
export const plain = (text: string): string => text.replace(ANSI, "");

/** `kv namespace list` prints the API's JSON (there is no --json flag: it is always JSON). */
export function kvNamespaces(stdout: string): { id: string; title: string }[] {
  const start = stdout.indexOf("[");
  if (start < 0) return [];
  return (JSON.parse(stdout.slice(start)) as { id: string; title: string }[]).map(({ id, title }) => ({
    id,
    title,
  }));
}

/** `r2 bucket list`: `name:  <bucket>` lines. */
export function bucketNames(stdout: string): string[] {
  return [...stdout.matchAll(/^name:\s+(\S+)$/gm)].map((m) => m[1] ?? "");
}

/** `queues list`: the second column of the box table's body rows. */
export function queueNames(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("│"))
    .map((l) => l.split("│")[2]?.trim() ?? "")
    .filter((n) => n !== "" && n !== "name");
}

/** `secret list` (default json format): the names only; values never leave Cloudflare. */
export function secretNames(stdout: string): string[] {
  const start = stdout.indexOf("[");
  if (start < 0) return [];
  return (JSON.parse(stdout.slice(start)) as { name: string }[]).map((s) => s.name);
}

/** `whoami --json`. */
export function whoami(stdout: string): { loggedIn: boolean; accounts: { id: string; name: string }[] } {
  try {
    const start = stdout.indexOf("{");
    const parsed = JSON.parse(stdout.slice(start)) as {
      loggedIn?: boolean;
      accounts?: { id: string; name: string }[];
    };
    return { loggedIn: parsed.loggedIn === true, accounts: parsed.accounts ?? [] };
  } catch {
    return { loggedIn: false, accounts: [] };
  }
}

export interface Deployment {
  versions: { version_id: string; percentage: number }[];
}

/** `deployments status --json`: the latest deployment. */
export function deployment(stdout: string): Deployment | null {
  const start = stdout.indexOf("{");
  if (start < 0) return null;
  return JSON.parse(stdout.slice(start)) as Deployment;
}

/** `deployments list --json`: the latest deployments, oldest first. */
export function deploymentList(stdout: string): Deployment[] {
  const start = stdout.indexOf("[");
  return start < 0 ? [] : (JSON.parse(stdout.slice(start)) as Deployment[]);
}

/**
 * The version to roll back to: the newest earlier deployment's version at 100 % that does not serve traffic
 * now. (wrangler's own default may pick the version that already runs, e.g. right after an aborted canary.)
 */
export function rollbackTarget(history: Deployment[]): string | null {
  const [current, ...earlier] = [...history].reverse();
  const serving = new Set(current?.versions.map((v) => v.version_id));
  for (const d of earlier) {
    const full = d.versions.find((v) => v.percentage === 100);
    if (full && !serving.has(full.version_id)) return full.version_id;
  }
  return null;
}

/** `versions list --json`: id → version number (higher is newer). */
export function versionNumbers(stdout: string): Map<string, number> {
  const start = stdout.indexOf("[");
  if (start < 0) return new Map();
  const list = JSON.parse(stdout.slice(start)) as { id: string; number: number }[];
  return new Map(list.map((v) => [v.id, v.number]));
}

export const currentVersionId = (stdout: string): string | null =>
  /^Current Version ID: (\S+)/m.exec(stdout)?.[1] ?? null;

export const uploadedVersionId = (stdout: string): string | null =>
  /^Worker Version ID: (\S+)/m.exec(stdout)?.[1] ?? null;

/** The lines `wrangler deploy` prints under "Deployed <name> triggers": URLs, routes, crons, queues. */
export function deployTargets(stdout: string): string[] {
  const lines = stdout.split("\n");
  const at = lines.findIndex((l) => /^Deployed \S+ triggers/.test(l));
  if (at < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (!l.startsWith("  ")) break;
    out.push(l.trim());
  }
  return out;
}

/** `Total Upload: 606.95 KiB / gzip: 146.88 KiB` → bytes, as wrangler rounds them. */
export function totalUpload(stdout: string): { rawKiB: number; gzipKiB: number } | null {
  const m = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stdout);
  return m ? { rawKiB: Number(m[1]), gzipKiB: Number(m[2]) } : null;
}

// Refusals worth a better message than wrangler's own.
export const isWorkerNotFound = (stderr: string): boolean =>
  /Worker "[^"]+"(?: \(env: [^)]*\))? not found/.test(plain(stderr));
export const isNotLoggedIn = (stderr: string): boolean =>
  /CLOUDFLARE_API_TOKEN environment variable/.test(plain(stderr));
export const isPendingMigration = (stderr: string): boolean =>
  /pending Durable Object migration|\[code: 10211\]/.test(plain(stderr));
export const isSecretEditDuringSplit = (stderr: string): boolean =>
  /Secret edit failed|\[code: 10215\]/.test(plain(stderr));

/** The first line of wrangler's framed error, without ANSI: what a person needs to see. */
export function errorTitle(stderr: string): string {
  const line = plain(stderr)
    .split("\n")
    .find((l) => l.startsWith("✘ [ERROR] "));
  return line ? line.slice("✘ [ERROR] ".length) : (plain(stderr).trim().split("\n")[0] ?? "");
}
