// Validates a whole snapshot: every document plus the references between them (segments, requires, cycles).

import type { FlagDoc, Variant } from "./types.ts";
import { isValidFlagKey, validateFlag, validateSegment } from "./validate.ts";

/** What all flags' largest payloads may add up to: the most one request can carry to the origin. */
export const MAX_PAYLOADS = 16_384;

function largestPayload(doc: FlagDoc): number {
  const lists: (Variant[] | undefined)[] = [doc.variants, ...(doc.conditions ?? []).map((c) => c.variants)];
  let max = 0;
  for (const list of lists) for (const v of list ?? []) max = Math.max(max, v.payload?.value.length ?? 0);
  return max;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function segmentRefs(conditions: unknown, out: string[]): string[] {
  if (!Array.isArray(conditions)) return out;
  for (const c of conditions) {
    if (!isObj(c)) continue;
    if (c.type === "segment" && typeof c.segment === "string") out.push(c.segment);
    if (c.type === "all") segmentRefs(c.conditions, out);
  }
  return out;
}

/** Flag keys that take part in a `requires` cycle. */
export function requireCycles(flags: Record<string, Pick<FlagDoc, "requires">>): Set<string> {
  const state = new Map<string, 1 | 2>();
  const inCycle = new Set<string>();
  const stack: string[] = [];
  const visit = (key: string): void => {
    state.set(key, 1);
    stack.push(key);
    const doc = flags[key];
    for (const dep of Array.isArray(doc?.requires) ? doc.requires : []) {
      const next = isObj(dep) && typeof dep.flag === "string" ? dep.flag : undefined;
      if (next === undefined || !Object.hasOwn(flags, next)) continue;
      const s = state.get(next);
      if (s === 1) for (const k of stack.slice(stack.indexOf(next))) inCycle.add(k);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(key, 2);
  };
  for (const key of Object.keys(flags)) if (!state.has(key)) visit(key);
  return inCycle;
}

/** Messages for a `{ flags, segments }` input (the version is computed, not validated). */
export function validateSnapshot(input: unknown): string[] {
  if (!isObj(input)) return ["snapshot must be an object"];
  const errs: string[] = [];
  let payloads = 0;
  const flags = isObj(input.flags) ? input.flags : {};
  const segments = input.segments === undefined ? {} : isObj(input.segments) ? input.segments : {};
  if (!isObj(input.flags)) errs.push("flags must be an object");
  if (input.segments !== undefined && !isObj(input.segments)) errs.push("segments must be an object");
  for (const [name, seg] of Object.entries(segments)) errs.push(...validateSegment(seg, `segments.${name}`));
  for (const [key, doc] of Object.entries(flags)) {
    const path = `flags.${key}`;
    if (!isValidFlagKey(key))
      errs.push(`${path}: key must be letters, digits, symbols and _ . - ~ (no spaces), parts joined by ":"`);
    const problems = validateFlag(doc, path);
    errs.push(...problems);
    if (!isObj(doc)) continue;
    if (problems.length === 0) payloads += largestPayload(doc as unknown as FlagDoc);
    for (const ref of segmentRefs(doc.conditions, [])) {
      if (!Object.hasOwn(segments, ref)) errs.push(`${path} references unknown segment "${ref}"`);
    }
    if (Array.isArray(doc.requires)) {
      doc.requires.forEach((d, i) => {
        if (isObj(d) && d.flag === key) errs.push(`${path}.requires[${i}] must not require the flag itself`);
      });
    }
  }
  if (payloads > MAX_PAYLOADS)
    errs.push(
      `variant payloads add up to ${payloads} characters per request; keep them under ${MAX_PAYLOADS}`,
    );
  const cycles = requireCycles(flags as Record<string, Pick<FlagDoc, "requires">>);
  for (const key of cycles) errs.push(`flags.${key}.requires forms a cycle`);
  return errs;
}
