// Deploy order from the bindings between Workers (services, and Durable Objects another Worker hosts): a Worker
// goes after every Worker it binds to (Cloudflare rejects a binding to a script, or a class, that does not exist
// yet), so callees are live before their callers.
export interface Node {
  role: string;
  name: string;
  services: { binding: string; service: string }[];
  /** Durable Object bindings by `script_name`: the hosting Worker must be deployed (with its class) first. */
  objects?: { binding: string; service: string }[];
}

export type Order<T extends Node> =
  | { ok: true; order: T[]; warnings: string[] }
  | { ok: false; cycle: string[]; message: string };

export const CYCLE_WAY_OUT =
  "Cloudflare refuses a service binding to a Worker that does not exist yet, so on a first deploy no order " +
  "works. Way out: deploy once without one binding of the cycle (comment it out in that Worker's " +
  "wrangler.toml, `npm run deploy`, put it back, `npm run deploy` again: every Worker exists by then), or " +
  'replace one call by a queue message. See docs/deploy.md, "Binding cycles".';

/** Targets a Worker binds to among `nodes` (bindings to Workers outside the project do not order anything). */
function targets<T extends Node>(node: T, byName: Map<string, T>): T[] {
  return [...node.services, ...(node.objects ?? [])].flatMap((s) => {
    const t = byName.get(s.service);
    return t && t !== node ? [t] : [];
  });
}

/** One cycle among `remaining` (each has an unplaced target), as roles: [a, b, c, a]. */
function findCycle<T extends Node>(remaining: T[], byName: Map<string, T>): string[] {
  const left = new Set(remaining);
  let at = remaining[0];
  const path: T[] = [];
  while (at && !path.includes(at)) {
    path.push(at);
    at = targets(at, byName).find((t) => left.has(t));
  }
  const start = at ? path.indexOf(at) : 0;
  return [...path.slice(start), ...(at ? [at] : [])].map((n) => n.role);
}

/**
 * Topological order, stable in config order. `existing` names Workers already deployed: a cycle among those is
 * only a warning (every target exists), while a cycle involving a new Worker cannot be deployed.
 */
export function deployOrder<T extends Node>(nodes: T[], existing: ReadonlySet<string> = new Set()): Order<T> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const placed: T[] = [];
  const warnings: string[] = [];
  let remaining = [...nodes];
  while (remaining.length > 0) {
    const ready = remaining.filter((n) => targets(n, byName).every((t) => placed.includes(t)));
    if (ready.length > 0) {
      placed.push(...ready);
      remaining = remaining.filter((n) => !ready.includes(n));
      continue;
    }
    const cycle = findCycle(remaining, byName);
    const inCycle = remaining.filter((n) => cycle.includes(n.role));
    if (inCycle.every((n) => existing.has(n.name))) {
      // Every target exists already: break the cycle at its first Worker and go on in binding order.
      const first = remaining.find((n) => n.role === cycle[0]) ?? remaining[0];
      if (!first) break;
      warnings.push(
        `service bindings form a cycle (${cycle.join(" → ")}); all of its Workers exist already, so ${first.role} goes first`,
      );
      placed.push(first);
      remaining = remaining.filter((n) => n !== first);
      continue;
    }
    return {
      ok: false,
      cycle,
      message: `Service bindings form a cycle: ${cycle.join(" → ")}. ${CYCLE_WAY_OUT}`,
    };
  }
  return { ok: true, order: placed, warnings };
}
