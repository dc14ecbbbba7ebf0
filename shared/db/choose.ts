// Where one read goes: a healthy replica that has replayed the reader's last write, else the primary.
import type { ReplicaStatus } from "./health.ts";
import { lsnReached } from "./lsn.ts";
import type { RywToken } from "./token.ts";
import { TOKEN_TTL_MS } from "./token.ts";

export type RouteReason =
  | "no-token"
  | "caught-up"
  | "pinned"
  | "lagging"
  | "none-healthy"
  | "forced-primary"
  | "replica-failed";
export type ReadTarget = { target: "primary" | (string & {}); reason: RouteReason };

export type ChooseInput = {
  replicas: readonly ReplicaStatus[];
  token?: RywToken | null;
  now: number;
  /** Without a known replay position, reads stay on the primary this long after a write (Rails: 2 s). */
  pinMs?: number;
  random?: () => number;
  forcePrimary?: boolean;
  /** A status older than this is not trusted (the probe stopped). */
  maxStatusAgeMs?: number;
};

export function chooseReadTarget(input: ChooseInput): ReadTarget {
  const { now, pinMs = 2000, random = Math.random, maxStatusAgeMs = 30_000 } = input;
  if (input.forcePrimary) return { target: "primary", reason: "forced-primary" };
  const healthy = input.replicas.filter((r) => r.healthy && now - r.at <= maxStatusAgeMs);
  if (healthy.length === 0) return { target: "primary", reason: "none-healthy" };

  const token = input.token && now - input.token.at <= TOKEN_TTL_MS ? input.token : null;
  if (!token) return { target: pick(healthy, random), reason: "no-token" };

  const caughtUp: ReplicaStatus[] = [];
  const unknown: ReplicaStatus[] = [];
  for (const replica of healthy) {
    if (lsnReached(replica.replayLsn, token.lsn)) caughtUp.push(replica);
    // A position measured before the write says nothing about it: only time can.
    else if (replica.replayLsn === null || replica.at < token.at) unknown.push(replica);
  }
  if (caughtUp.length > 0) return { target: pick(caughtUp, random), reason: "caught-up" };
  if (unknown.length > 0) {
    if (now - token.at < pinMs) return { target: "primary", reason: "pinned" };
    return { target: pick(unknown, random), reason: "caught-up" };
  }
  return { target: "primary", reason: "lagging" };
}

/** Weighted by 1 / (1 + lag s): all replicas share the load, the fresher ones a little more. */
function pick(replicas: readonly ReplicaStatus[], random: () => number): string {
  const weights = replicas.map((r) => 1 / (1 + Math.max(0, r.lagSeconds ?? 0)));
  const total = weights.reduce((a, b) => a + b, 0);
  let roll = random() * total;
  for (const [i, replica] of replicas.entries()) {
    roll -= weights[i] ?? 0;
    if (roll < 0) return replica.name;
  }
  return replicas[replicas.length - 1]?.name ?? "primary";
}
