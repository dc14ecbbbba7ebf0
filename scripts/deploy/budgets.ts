// Size budgets for the Workers' bundles (gzip of what wrangler uploads), and who is to blame when one is over.

/** KiB of gzip per Worker role. The edge is on every request's path: its cold start grows with its size. */
export const BUDGETS_KIB: Record<string, number> = { edge: 50, origin: 250, jobs: 200 };

/**
 * `npm test` (scripts/deploy/budgets.test.ts) and `npm run deploy` fail on a Worker over its budget, naming what
 * weighs most. Both measure what deploys: the test the production bundles, the deploy those of its environment.
 */
export const ENFORCE_BUDGETS = true;

export interface Size {
  role: string;
  raw: number;
  gzip: number;
}

export interface Over extends Size {
  budget: number;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The size table (raw, gzip, budget) and the Workers over budget. */
export function checkBudgets(sizes: Size[], budgets: Record<string, number> = BUDGETS_KIB) {
  const over: Over[] = [];
  const lines = sizes.map((s) => {
    const budget = budgets[s.role];
    const verdict =
      budget === undefined
        ? "no budget"
        : s.gzip > budget * 1024
          ? `over by ${kib(s.gzip - budget * 1024)}`
          : `${kib(budget * 1024 - s.gzip)} left`;
    if (budget !== undefined && s.gzip > budget * 1024) over.push({ ...s, budget });
    return `${s.role.padEnd(7)} ${kib(s.raw).padStart(11)} raw  ${kib(s.gzip).padStart(10)} gzip  budget ${budget ?? "-"} KiB: ${verdict}`;
  });
  return { lines, over };
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** The package (node_modules/zod/… → zod) or project folder (shared/flags/…) an input file belongs to. */
export function owner(path: string): string {
  const parts = path.split(/[\\/]/);
  const at = parts.lastIndexOf("node_modules");
  if (at >= 0) {
    const name = parts[at + 1] ?? "?";
    return name.startsWith("@") ? `${name}/${parts[at + 2] ?? ""}` : name;
  }
  return parts.length > 2 ? parts.slice(0, 2).join("/") : (parts[0] ?? path);
}

/** The biggest contributors to a bundle, by minified bytes in the output, from esbuild's metafile. */
export function contributors(meta: Metafile, top = 6): { name: string; bytes: number }[] {
  const [, output] = Object.entries(meta.outputs)
    .filter(([k]) => k.endsWith(".js"))
    .sort(([, a], [, b]) => b.bytes - a.bytes)[0] ?? ["", { bytes: 0, inputs: {} }];
  const byOwner = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    byOwner.set(owner(path), (byOwner.get(owner(path)) ?? 0) + bytesInOutput);
  }
  return [...byOwner]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

export const describeContributors = (list: { name: string; bytes: number }[]): string =>
  list.map((c) => `${c.name} ${kib(c.bytes)}`).join(", ");
