// Flag evaluation at the edge: once per request, folded into the cache key, forwarded signed to the origin.
import type { CompiledFlags, EvalContext } from "../../shared/flags/index.ts";
import {
  contextFromRequest,
  type EvaluatedFlags,
  evaluateAll,
  evaluatePositions,
  type FlagResult,
  propertyReader,
} from "../../shared/flags/index.ts";
import type { Identity } from "../../shared/identity/index.ts";
import { FLAG_PROPERTIES } from "./flag-properties.ts";

export interface EdgeFlags {
  /** Every flag. Decided on first read: only a request that reaches the origin personally needs them all. */
  readonly all: EvaluatedFlags;
  /** `flag:<key>` → variant for flags that change anonymous pages: part of the cache key. */
  readonly keyParts: Readonly<Record<string, string>>;
  /** Only the cache-key flags: what a cacheable request may tell the origin, so the page depends on the key alone. */
  readonly keyed: EvaluatedFlags;
}

interface Plan {
  /** Positions of the cache-key flags in snapshot order (the order evaluateAll reports them in). */
  readonly positions: readonly number[];
  /** The keyed answer when no flag splits the key: the same for every request, so built once. */
  readonly none: Pick<EdgeFlags, "keyParts" | "keyed"> | null;
}

// One plan per compiled snapshot (a new version is a new object, so entries die with the old one).
const plans = new WeakMap<CompiledFlags, Plan>();

function planFor(compiled: CompiledFlags): Plan {
  let plan = plans.get(compiled);
  if (plan === undefined) {
    const positions = [...compiled.cacheKeyFlags].sort((a, b) => a - b);
    const none =
      positions.length === 0
        ? {
            keyParts: Object.freeze({}),
            keyed: Object.freeze({
              version: compiled.version,
              results: [] as FlagResult[],
              index: new Map<string, number>(),
              subject: null,
            }),
          }
        : null;
    plan = { positions, none };
    plans.set(compiled, plan);
  }
  return plan;
}

export function evaluateAtEdge(
  compiled: CompiledFlags,
  request: Request,
  who: { user: Identity | null; anonymousId: string | null },
  url?: URL,
  environment = "production",
): EdgeFlags {
  return new LazyFlags(compiled, request, who, url, environment);
}

/** A class rather than closures: nothing allocated per request beyond the object itself until `all` is read. */
class LazyFlags implements EdgeFlags {
  readonly keyParts: Readonly<Record<string, string>>;
  readonly keyed: EvaluatedFlags;
  readonly #compiled: CompiledFlags;
  readonly #request: Request;
  readonly #who: { user: Identity | null; anonymousId: string | null };
  readonly #url: URL | undefined;
  readonly #environment: string;
  readonly #now = Date.now();
  #ctx: EvalContext | null = null;
  #all: EvaluatedFlags | null = null;

  constructor(
    compiled: CompiledFlags,
    request: Request,
    who: { user: Identity | null; anonymousId: string | null },
    url: URL | undefined,
    environment: string,
  ) {
    this.#compiled = compiled;
    this.#request = request;
    this.#who = who;
    this.#url = url;
    this.#environment = environment;
    const plan = planFor(compiled);
    const keyed = plan.none ?? keyedFlags(compiled, plan.positions, this.#context());
    this.keyParts = keyed.keyParts;
    this.keyed = keyed.keyed;
  }

  get all(): EvaluatedFlags {
    this.#all ??= evaluateAll(this.#compiled, this.#context());
    return this.#all;
  }

  #context(): EvalContext {
    if (this.#ctx === null) {
      const { user, anonymousId } = this.#who;
      const request = this.#request;
      const url = this.#url ?? new URL(request.url);
      this.#ctx = contextFromRequest(
        request,
        {
          userId: user ? String(user.id) : undefined,
          anonymousId: anonymousId ?? undefined,
          tags: user?.tags,
        },
        this.#now,
        url,
        propertyReader(FLAG_PROPERTIES, { request, url, user, environment: this.#environment }),
      );
    }
    return this.#ctx;
  }
}

function keyedFlags(
  compiled: CompiledFlags,
  positions: readonly number[],
  ctx: EvalContext,
): Pick<EdgeFlags, "keyParts" | "keyed"> {
  const results = evaluatePositions(compiled, positions, ctx);
  const keyParts: Record<string, string> = {};
  const index = new Map<string, number>();
  for (const [j, r] of results.entries()) {
    keyParts[`flag:${r.key}`] = r.variant;
    index.set(r.key, j);
  }
  return { keyParts, keyed: { version: compiled.version, results, index, subject: null } };
}

/**
 * Experiments that split a cached page and that the page says it showed (its `x-flags-exposed` header, stored with
 * it): the edge records those exposures, since the origin never sees cache hits.
 */
export function keyedExposures(flags: EdgeFlags, shown: ReadonlySet<string>): FlagResult[] {
  if (shown.size === 0) return [];
  return flags.keyed.results.filter(
    (r) => shown.has(r.key) && r.reason === "SPLIT" && r.variant !== "on" && r.variant !== "off",
  );
}
