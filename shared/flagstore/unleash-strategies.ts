// Translates one Unleash strategy (its own test, constraints, segments and variants) into one include condition.
import { type Condition, parseCidr } from "../flags/index.ts";
import { constraintsOf, type Note, stickinessOf, variantsOf } from "./unleash-rules.ts";
import type { UStrategy } from "./unleash-source.ts";

/** A segment by Unleash id: its name here, `true` (no constraint left: always matches) or `false` (never). */
export type SegmentRef = string | boolean;

export interface StrategyContext {
  /** The Unleash feature name: what Unleash hashes with unless a groupId says otherwise. */
  name: string;
  segments: ReadonlyMap<number, SegmentRef>;
  note: Note;
}

const isCidr = (s: string): boolean => parseCidr(s) !== null;
const split = (s: string | undefined): string[] =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");

function percentage(p: string | undefined, extra: object): (Condition & { type: "percentage" }) | null {
  const n = Number(p);
  if (p === undefined || p.trim() === "" || Number.isNaN(n)) return null;
  return { type: "percentage", percentage: Math.min(100, Math.max(0, n)), ...extra };
}

/** The strategy's own test, before constraints: a condition, undefined (everyone) or null (never). */
function baseOf(s: UStrategy, ctx: StrategyContext): Condition | undefined | null {
  const p = s.parameters;
  const group = (g: string | undefined) => (g && g !== ctx.name ? { groupId: g } : {});
  switch (s.name) {
    case "default":
      return undefined;
    case "userWithId":
      return { type: "users", ids: split(p.userIds) };
    case "remoteAddress": {
      const ips = split(p.IPs);
      for (const bad of ips.filter((ip) => !isCidr(ip)))
        ctx.note(`remoteAddress "${bad}" is not an IP address or CIDR; left out (Unleash skips it too)`);
      return { type: "ip", cidrs: ips.filter(isCidr) };
    }
    case "flexibleRollout":
    case "gradualRolloutRandom": {
      const stickiness = s.name === "gradualRolloutRandom" ? "random" : stickinessOf(p.stickiness);
      const c = percentage(s.name === "flexibleRollout" ? p.rollout : p.percentage, {
        ...(s.name === "flexibleRollout" ? group(p.groupId) : {}),
        ...(stickiness ? { stickiness } : {}),
      });
      if (!c) ctx.note(`rollout "${p.rollout ?? p.percentage}" is not a number, which Unleash never matches`);
      // At 100 % nobody is left out unless the stickiness needs a value the visitor may lack.
      return c && (c.percentage ?? 0) >= 100 && (!stickiness || stickiness === "random") ? undefined : c;
    }
    case "gradualRolloutUserId":
    case "gradualRolloutSessionId": {
      const stickiness = s.name === "gradualRolloutUserId" ? "userId" : "anonymousId";
      if (!p.groupId) ctx.note(`${s.name} without a groupId: buckets computed with the flag's name instead`);
      const c = percentage(p.percentage, { ...group(p.groupId), stickiness });
      if (!c) ctx.note(`percentage "${p.percentage}" is not a number, which Unleash never matches`);
      return c;
    }
    case "applicationHostname":
      ctx.note("applicationHostname matches the server's own host name, which has no equivalent at the edge");
      return null;
    default:
      ctx.note(`custom strategy "${s.name}" has no equivalent here (Unleash needs each SDK to implement it)`);
      return null;
  }
}

/** One strategy as one include (its test, constraints and segments AND-ed), or null when it never matches. */
export function includeOf(s: UStrategy, ctx: StrategyContext): Condition | null {
  const base = baseOf(s, ctx);
  const constraints = base === null ? false : constraintsOf(s.constraints, ctx.note);
  if (base === null || constraints === false) return null;
  const parts = [...(base ? [base] : []), ...constraints];
  for (const id of s.segments) {
    const ref = ctx.segments.get(id);
    if (ref === undefined || ref === false) {
      ctx.note(
        `segment ${id} ${ref === undefined ? "does not exist" : "never matches"}, so this strategy never does`,
      );
      return null;
    }
    if (typeof ref === "string") parts.push({ type: "segment", segment: ref });
  }
  const cond: Condition =
    parts.length === 0
      ? { type: "percentage", percentage: 100 }
      : parts.length === 1
        ? (parts[0] as Condition)
        : { type: "all", conditions: parts };
  const variants = variantsOf(s.variants, ctx.note);
  if (!variants) return cond;
  // Unleash: a strategy's variants stick by the first variant's stickiness, else the strategy's own.
  const stickiness = stickinessOf(s.variants[0]?.stickiness || s.parameters.stickiness);
  const g = s.parameters.groupId || ctx.name;
  return {
    ...cond,
    variants,
    ...(stickiness ? { variantStickiness: stickiness } : {}),
    ...(g !== ctx.name ? { variantGroupId: g } : {}),
  };
}

/** Whether an include matches everyone and serves no variants of its own. */
export const isEveryone = (c: Condition): boolean =>
  c.type === "percentage" && c.percentage === 100 && !c.stickiness && !c.groupId && !c.variants;
