// Types of the flag model: stored rule documents, the per-request context, and OpenFeature-style results.

/** `off` = nobody, `on` = everyone (STATIC), `selective` = decided by conditions. */
export type FlagState = "off" | "on" | "selective";

/**
 * Which value keeps a visitor in the same bucket: `default` = userId, then anonymousId; `random` = none (a fresh
 * draw each evaluation); or any context field (`tenantId`, `prop:<name>`, `header:<name>`, …).
 */
export type Stickiness = "default" | "random" | Exclude<ContextField, "currentTime">;

/** Unleash constraint operators (REGEX in RE2 syntax, matched in linear time) plus PRESENT for headers/cookies. */
export type Operator =
  | "IN"
  | "NOT_IN"
  | "STR_CONTAINS"
  | "STR_STARTS_WITH"
  | "STR_ENDS_WITH"
  | "NUM_EQ"
  | "NUM_GT"
  | "NUM_GTE"
  | "NUM_LT"
  | "NUM_LTE"
  | "DATE_AFTER"
  | "DATE_BEFORE"
  | "SEMVER_EQ"
  | "SEMVER_GT"
  | "SEMVER_GTE"
  | "SEMVER_LT"
  | "SEMVER_LTE"
  | "IN_CIDR"
  | "REGEX"
  | "PRESENT";

export type ContextField =
  | "userId"
  | "anonymousId"
  | "tenantId"
  | "country"
  | "host"
  | "ip"
  | "currentTime"
  | `header:${string}`
  | `cookie:${string}`
  /** A property the site supplies (its own context: the event being viewed, a plan, an app version). */
  | `prop:${string}`;

/** Operator fields shared by `constraint`, `header` and `cookie` conditions (Unleash semantics). */
export interface Match {
  operator: Operator;
  values?: string[];
  value?: string;
  caseInsensitive?: boolean;
  inverted?: boolean;
}

/**
 * Variants a top-level include serves when it is the condition that switched the flag on (Unleash strategy
 * variants); the flag's own variants otherwise. Hashed by `variantGroupId` (default: the flag's group).
 */
export interface ServedVariants {
  variants?: Variant[];
  variantStickiness?: Stickiness;
  variantGroupId?: string;
}

/** `exclude: true` on a top-level condition turns it into an exclusion; any matching exclusion wins. */
export type Condition = { exclude?: boolean } & ServedVariants &
  (
    | { type: "users"; ids: string[] }
    | { type: "tags"; tags: string[] }
    | { type: "tenants"; ids: string[] }
    /** Unleash gradual rollout: bucket in 1..100 enabled when `range[0] < bucket <= range[1]` (percentage p = [0, p]). */
    | {
        type: "percentage";
        percentage?: number;
        range?: [number, number];
        groupId?: string;
        stickiness?: Stickiness;
      }
    | { type: "ip"; cidrs: string[] }
    | { type: "country"; countries: string[] }
    | { type: "host"; hosts: string[] }
    | ({ type: "header"; name: string } & Match)
    | ({ type: "cookie"; name: string } & Match)
    /** Active when `from <= now < until`; ISO-8601 strings or epoch milliseconds. */
    | { type: "time"; from?: string | number; until?: string | number }
    | ({ type: "constraint"; field: ContextField } & Match)
    | { type: "segment"; segment: string }
    /** Every nested condition must match (Unleash: constraints of one strategy). */
    | { type: "all"; conditions: Condition[] }
  );

/** What a variant hands the code besides its name (Unleash payload types); `value` is always the text form. */
export interface Payload {
  type: "string" | "json" | "csv" | "number";
  value: string;
}

/** Visitors whose `field` has one of `values` get this variant (Unleash overrides). */
export interface Override {
  field: ContextField;
  values: string[];
}

export interface Variant {
  name: string;
  weight: number;
  payload?: Payload;
  /** User ids forced into this variant (QA, demos): reason TARGETING_MATCH, no exposure. */
  users?: string[];
  /** The same for any other context field. */
  overrides?: Override[];
}

/** Unleash parent dependency: the other flag must be on (or off), optionally with one of these variants ([] = any). */
export interface Dependency {
  flag: string;
  enabled?: boolean;
  variants?: string[];
}

export interface FlagDoc {
  state: FlagState;
  description?: string;
  conditions?: Condition[];
  variants?: Variant[];
  variantStickiness?: Stickiness;
  /**
   * The name percentages and variants are hashed with (default: the key). Buckets follow it, so a renamed flag
   * keeps its old name here and nobody moves between variants.
   */
  groupId?: string;
  requires?: Dependency[];
  /** The flag's variant splits the anonymous edge cache key. */
  cacheKey?: boolean;
  meta?: Record<string, string>;
}

/** A named, reusable set of conditions that must all match. */
export interface Segment {
  description?: string;
  conditions: Condition[];
}

export interface Snapshot {
  version: string;
  flags: Record<string, FlagDoc>;
  segments: Record<string, Segment>;
}

/** Built once per request at the edge; lookups are functions so nothing is parsed unless a rule asks. */
export interface EvalContext {
  userId?: string;
  anonymousId?: string;
  tags?: readonly string[];
  tenantId?: string;
  ip?: string;
  country?: string;
  host?: string;
  headers?: (name: string) => string | null;
  cookies?: (name: string) => string | null;
  /** The site's own properties, by name (`prop:<name>` fields); asked only when a rule needs one. */
  properties?: (name: string) => string | null | undefined;
  now: number;
}

export type Reason = "STATIC" | "TARGETING_MATCH" | "SPLIT" | "DEFAULT" | "DISABLED" | "ERROR";

export interface FlagResult {
  readonly key: string;
  readonly value: boolean;
  /** "on"/"off", or the variant name of an experiment. */
  readonly variant: string;
  readonly payload?: Payload;
  readonly reason: Reason;
  readonly errorCode?: string;
}

/** The results of one request, in the compiled order, with a shared key → position index. */
export interface EvaluatedFlags {
  readonly version: string;
  readonly results: readonly FlagResult[];
  readonly index: ReadonlyMap<string, number>;
  /** userId, else anonymousId: who an exposure is recorded for. */
  readonly subject: string | null;
}
