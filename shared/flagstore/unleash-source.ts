// Reads the ways Unleash hands out its toggles (client API, delta events, admin export) into one feature list.

export interface UConstraint {
  contextName: string;
  operator: string;
  values?: string[];
  value?: string;
  inverted?: boolean;
  caseInsensitive?: boolean;
}

export interface UVariant {
  name: string;
  weight: number;
  payload?: { type: string; value: string };
  stickiness?: string;
  overrides: { contextName: string; values: string[] }[];
}

export interface UStrategy {
  name: string;
  parameters: Record<string, string>;
  constraints: UConstraint[];
  segments: number[];
  variants: UVariant[];
  disabled?: boolean;
}

export interface UFeature {
  name: string;
  description?: string;
  enabled: boolean;
  strategies: UStrategy[];
  variants: UVariant[];
  dependencies: { feature: string; enabled?: boolean; variants?: string[] }[];
}

export interface USegment {
  id: number;
  name?: string;
  /** Missing in admin exports, which name segments without their constraints. */
  constraints?: UConstraint[];
}

export interface UnleashState {
  features: UFeature[];
  segments: USegment[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const text = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
const texts = (v: unknown): string[] =>
  Array.isArray(v) ? v.flatMap((x) => (text(x) === undefined ? [] : [text(x) as string])) : [];

function constraint(c: Obj): UConstraint {
  return {
    contextName: text(c.contextName) ?? "",
    operator: text(c.operator) ?? "",
    values: texts(c.values),
    ...(text(c.value) === undefined ? {} : { value: text(c.value) }),
    ...(c.inverted === true ? { inverted: true } : {}),
    ...(c.caseInsensitive === true ? { caseInsensitive: true } : {}),
  };
}

function variant(v: Obj): UVariant {
  const p = isObj(v.payload) ? v.payload : null;
  return {
    name: text(v.name) ?? "",
    weight: Number(v.weight ?? 0),
    ...(p ? { payload: { type: text(p.type) ?? "string", value: text(p.value) ?? "" } } : {}),
    ...(text(v.stickiness) ? { stickiness: text(v.stickiness) } : {}),
    overrides: list(v.overrides).map((o) => ({
      contextName: text(o.contextName) ?? "",
      values: texts(o.values),
    })),
  };
}

function strategy(s: Obj): UStrategy {
  const params = isObj(s.parameters) ? s.parameters : {};
  return {
    name: text(s.name) ?? text(s.strategyName) ?? "",
    parameters: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, text(v) ?? ""])),
    constraints: list(s.constraints).map(constraint),
    segments: Array.isArray(s.segments) ? s.segments.map(Number).filter(Number.isFinite) : [],
    variants: list(s.variants).map(variant),
    ...(s.disabled === true ? { disabled: true } : {}),
  };
}

function feature(f: Obj, strategies: Obj[] = list(f.strategies)): UFeature {
  return {
    name: text(f.name) ?? "",
    ...(text(f.description) ? { description: text(f.description) } : {}),
    enabled: f.enabled === true,
    strategies: strategies.map(strategy),
    variants: list(f.variants).map(variant),
    dependencies: list(f.dependencies).map((d) => ({
      feature: text(d.feature) ?? "",
      ...(d.enabled === false ? { enabled: false } : {}),
      ...(Array.isArray(d.variants) ? { variants: texts(d.variants) } : {}),
    })),
  };
}

function segment(s: Obj): USegment {
  return {
    id: Number(s.id),
    ...(text(s.name) ? { name: text(s.name) } : {}),
    ...(Array.isArray(s.constraints) ? { constraints: list(s.constraints).map(constraint) } : {}),
  };
}

/** Delta events (`hydration`, `feature-updated`, `feature-removed`, `segment-updated`, `segment-removed`) in order. */
function fromEvents(events: Obj[]): UnleashState {
  const features = new Map<string, UFeature>();
  const segments = new Map<number, USegment>();
  for (const e of events) {
    if (e.type === "hydration") {
      features.clear();
      segments.clear();
      for (const f of list(e.features)) features.set(text(f.name) ?? "", feature(f));
      for (const s of list(e.segments)) segments.set(Number(s.id), segment(s));
    } else if (e.type === "feature-updated" && isObj(e.feature)) {
      features.set(text(e.feature.name) ?? "", feature(e.feature));
    } else if (e.type === "feature-removed") features.delete(text(e.featureName) ?? "");
    else if (e.type === "segment-updated" && isObj(e.segment))
      segments.set(Number(e.segment.id), segment(e.segment));
    else if (e.type === "segment-removed") segments.delete(Number(e.segmentId));
  }
  return { features: [...features.values()], segments: [...segments.values()] };
}

/**
 * The admin export (`features`, `featureStrategies`, `featureEnvironments`, `dependencies`, `segments`) for one
 * environment: the only one in the file, or `environment`.
 */
function fromExport(data: Obj, environment: string | undefined): UnleashState {
  const envs = list(data.featureEnvironments);
  const names = [...new Set(envs.map((e) => text(e.environment)).filter((e) => e !== undefined))];
  if (environment === undefined && names.length > 1)
    throw new Error(
      `the export holds several environments (${names.join(", ")}): choose one with --environment`,
    );
  const env = environment ?? names[0];
  const inEnv = (o: Obj) => env === undefined || o.environment === undefined || o.environment === env;
  const deps = new Map(list(data.dependencies).map((d) => [text(d.feature) ?? "", d.dependencies]));
  const features = list(data.features).map((f) => {
    const name = text(f.name) ?? "";
    const fe = envs.find((e) => text(e.featureName) === name && inEnv(e));
    const strategies = list(data.featureStrategies)
      .filter((s) => text(s.featureName) === name && inEnv(s))
      .sort((a, b) => Number(a.sortOrder ?? 0) - Number(b.sortOrder ?? 0));
    const variants = fe && Array.isArray(fe.variants) ? fe.variants : f.variants;
    return feature(
      { ...f, enabled: fe?.enabled === true, variants, dependencies: deps.get(name) },
      strategies,
    );
  });
  return { features, segments: list(data.segments).map(segment) };
}

/** Recognises the file's shape; throws with a plain reason when it is none of Unleash's. */
export function readUnleash(data: unknown, environment?: string): UnleashState {
  if (!isObj(data)) throw new Error("an Unleash file is a JSON object");
  if (Array.isArray(data.events)) return fromEvents(list(data.events));
  if (Array.isArray(data.featureStrategies)) return fromExport(data, environment);
  if (Array.isArray(data.features))
    return {
      features: list(data.features).map((f) => feature(f)),
      segments: list(data.segments).map(segment),
    };
  throw new Error(
    "not an Unleash file: expected `features` (client API or state), `featureStrategies` (admin export) or `events` (delta API)",
  );
}
