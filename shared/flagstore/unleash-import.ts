// Translates Unleash toggles into flag documents and segments that behave the same, saying what it changed or left out.
import {
  type Condition,
  type Dependency,
  type FlagDoc,
  isValidFlagKey,
  type Segment,
} from "../flags/index.ts";
import { SEGMENT_NAME } from "./store.ts";
import { constraintsOf, type Note, stickinessOf, variantsOf } from "./unleash-rules.ts";
import { readUnleash, type UFeature, type USegment } from "./unleash-source.ts";
import { includeOf, isEveryone, type SegmentRef } from "./unleash-strategies.ts";

export interface ImportNote {
  /** `flag <key>` or `segment <name>`. */
  subject: string;
  message: string;
}

export interface UnleashImport {
  flags: Record<string, FlagDoc>;
  segments: Record<string, Segment>;
  notes: ImportNote[];
}

/** A valid, unused key as close to `name` as possible. */
function keyFor(name: string, taken: ReadonlySet<string>): string {
  let key = name;
  if (!isValidFlagKey(key)) {
    key = name
      .replace(/[\s;=,%/\\?#"'<>{}[\]|^`\p{Cc}\p{Cf}]+/gu, "-")
      .split(":")
      .map((s) => s.replace(/^[^\p{L}\p{N}\p{So}]+/u, "").slice(0, 100))
      .filter((s) => s !== "")
      .join(":");
    if (!isValidFlagKey(key)) key = "imported";
  }
  const base = key;
  for (let i = 2; taken.has(key); i++) key = `${base}-${i}`;
  return key;
}

function segmentsOf(list: readonly USegment[], notes: ImportNote[]) {
  const refs = new Map<number, SegmentRef>();
  const out: Record<string, Segment> = {};
  for (const s of list) {
    const slug = (s.name ?? "")
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, "-")
      .replace(/^[^a-z0-9]+/, "")
      .slice(0, 60);
    const base = SEGMENT_NAME.test(slug) ? slug : `segment-${s.id}`;
    let name = base;
    for (let i = 2; Object.hasOwn(out, name); i++) name = `${base}-${i}`;
    const note: Note = (message) => notes.push({ subject: `segment ${name}`, message });
    if (!s.constraints) {
      note(
        `segment ${s.id} comes without its constraints (admin exports name segments only): strategies using it are left out; import the client API's output instead`,
      );
      refs.set(s.id, false);
      continue;
    }
    const conditions = constraintsOf(s.constraints, note);
    // No constraint left: matches everyone, so references to it are simply dropped.
    if (conditions === false || conditions.length === 0) refs.set(s.id, conditions !== false);
    else {
      refs.set(s.id, name);
      out[name] = { ...(s.name && s.name !== name ? { description: s.name } : {}), conditions };
    }
  }
  return { refs, segments: out };
}

function flagOf(f: UFeature, key: string, segments: ReadonlyMap<number, SegmentRef>, note: Note): FlagDoc {
  const active = f.strategies.filter((s) => !s.disabled);
  if (active.length < f.strategies.length)
    note(`${f.strategies.length - active.length} disabled strategies left out`);
  const includes: Condition[] = [];
  active.forEach((s, i) => {
    const where: Note = (m) => note(`strategy ${i + 1} (${s.name}): ${m}`);
    const inc = includeOf(s, { name: f.name, segments, note: where });
    if (inc) includes.push(inc);
    else where("left out, so it switches the flag on for nobody here");
  });
  // Unleash: no strategies at all means on for everyone; strategies that all fell away mean nobody.
  if (f.strategies.length > 0 && active.length === 0)
    note("every strategy is disabled: imported as matching nobody");
  const everyone =
    f.strategies.length === 0 || (includes.length === 1 && isEveryone(includes[0] as Condition));
  const doc: FlagDoc = { state: !f.enabled ? "off" : everyone ? "on" : "selective" };
  if (f.description) doc.description = f.description;
  if (!everyone && includes.length > 0) doc.conditions = includes;
  const variants = variantsOf(f.variants, note);
  if (variants) {
    doc.variants = variants;
    const stickiness = stickinessOf(f.variants[0]?.stickiness);
    if (stickiness) doc.variantStickiness = stickiness;
  }
  // Buckets follow the Unleash name, so a flag whose key had to change still splits visitors the same way.
  if (key !== f.name) doc.groupId = f.name;
  return doc;
}

function requiresOf(
  f: UFeature,
  byName: ReadonlyMap<string, UFeature>,
  keys: ReadonlyMap<string, string>,
  note: Note,
) {
  const out: Dependency[] = [];
  for (const d of f.dependencies) {
    const parent = byName.get(d.feature);
    // Unleash allows one level only: a child of a child is never enabled.
    if (parent && parent.dependencies.length > 0) {
      note(
        `depends on "${d.feature}", which has dependencies of its own, so Unleash never enables it: imported off`,
      );
      return null;
    }
    if (!parent)
      note(`depends on "${d.feature}", which is not in the file: stays off until that flag exists`);
    const variants = (d.variants ?? []).map((v) => (v === "disabled" ? "on" : v));
    out.push({
      flag: keys.get(d.feature) ?? keyFor(d.feature, new Set()),
      ...(d.enabled === false ? { enabled: false } : {}),
      ...(d.variants ? { variants } : {}),
    });
  }
  return out;
}

/**
 * Unleash's client API output (`/api/client/features`), delta events or an admin export (pick `environment` when it
 * holds several) as this project's documents. Throws only when the file is not Unleash's at all.
 */
export function fromUnleash(data: unknown, options: { environment?: string } = {}): UnleashImport {
  const state = readUnleash(data, options.environment);
  const notes: ImportNote[] = [];
  const { refs, segments } = segmentsOf(state.segments, notes);
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  for (const f of state.features) {
    const key = keyFor(f.name, taken);
    taken.add(key);
    keys.set(f.name, key);
    if (key !== f.name)
      notes.push({
        subject: `flag ${key}`,
        message: `renamed from "${f.name}" (not a valid key here); buckets still follow the old name`,
      });
  }
  const byName = new Map(state.features.map((f) => [f.name, f]));
  const flags: Record<string, FlagDoc> = {};
  for (const f of state.features) {
    const key = keys.get(f.name) as string;
    const note: Note = (message) => notes.push({ subject: `flag ${key}`, message });
    const doc = flagOf(f, key, refs, note);
    const requires = requiresOf(f, byName, keys, note);
    if (requires === null) doc.state = "off";
    else if (requires.length > 0) doc.requires = requires;
    flags[key] = doc;
  }
  return { flags, segments, notes };
}
