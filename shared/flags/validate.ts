// Validates rule documents on write, returning precise human messages (empty list = valid); never throws.

import { conditionList } from "./validate-condition.ts";
import {
  allowOnly,
  at,
  type Errors,
  isObj,
  isValidFlagKey,
  optBool,
  STICKINESS,
  stringList,
  VARIANT,
} from "./validate-util.ts";

export { isValidFlagKey } from "./validate-util.ts";

function validateVariants(v: unknown, path: string, errs: Errors): void {
  if (!Array.isArray(v)) {
    errs.push(`${path} must be an array`);
    return;
  }
  const seen = new Set<string>();
  let total = 0;
  for (const [i, x] of v.entries()) {
    const p = `${path}[${i}]`;
    if (!isObj(x)) {
      errs.push(`${p} must be an object`);
      continue;
    }
    allowOnly(x, ["name", "weight", "users"], p, errs);
    if (typeof x.name !== "string" || !VARIANT.test(x.name) || x.name === "on" || x.name === "off") {
      errs.push(`${p}.name must be 1-32 letters, digits, _ or - (not "on"/"off")`);
    } else if (seen.has(x.name)) errs.push(`${p}.name "${x.name}" is used twice`);
    else seen.add(x.name);
    if (typeof x.weight !== "number" || !Number.isInteger(x.weight) || x.weight < 0 || x.weight > 1_000_000) {
      errs.push(`${p}.weight must be an integer 0..1000000`);
    } else total += x.weight;
    if (x.users !== undefined) stringList(x.users, `${p}.users`, errs);
  }
  if (v.length > 0 && total === 0) errs.push(`${path} weights must not all be 0`);
}

function validateRequires(v: unknown, path: string, errs: Errors): void {
  if (!Array.isArray(v)) {
    errs.push(`${path} must be an array`);
    return;
  }
  for (const [i, x] of v.entries()) {
    const p = `${path}[${i}]`;
    if (!isObj(x)) {
      errs.push(`${p} must be an object`);
      continue;
    }
    allowOnly(x, ["flag", "enabled", "variants"], p, errs);
    if (!isValidFlagKey(x.flag)) errs.push(`${p}.flag must be a flag key`);
    optBool(x, "enabled", p, errs);
    if (x.variants !== undefined) stringList(x.variants, `${p}.variants`, errs);
  }
}

/** Messages for one flag document; `path` prefixes them (e.g. `flags.checkout`). */
export function validateFlag(doc: unknown, path = ""): string[] {
  const errs: Errors = [];
  if (!isObj(doc)) return [`${path || "flag"} must be an object`];
  allowOnly(
    doc,
    ["state", "description", "conditions", "variants", "variantStickiness", "requires", "cacheKey", "meta"],
    path,
    errs,
  );
  if (doc.state !== "off" && doc.state !== "on" && doc.state !== "selective") {
    errs.push(`${at(path, "state")} must be off, on or selective`);
  }
  if (doc.description !== undefined && typeof doc.description !== "string") {
    errs.push(`${at(path, "description")} must be a string`);
  }
  if (doc.conditions !== undefined) conditionList(doc.conditions, at(path, "conditions"), errs, 0, false);
  if (doc.variants !== undefined) validateVariants(doc.variants, at(path, "variants"), errs);
  if (doc.variantStickiness !== undefined && !STICKINESS.includes(doc.variantStickiness as string)) {
    errs.push(`${at(path, "variantStickiness")} must be one of ${STICKINESS.join(", ")}`);
  }
  if (doc.requires !== undefined) validateRequires(doc.requires, at(path, "requires"), errs);
  optBool(doc, "cacheKey", path, errs);
  if (
    doc.meta !== undefined &&
    (!isObj(doc.meta) || Object.values(doc.meta).some((x) => typeof x !== "string"))
  ) {
    errs.push(`${at(path, "meta")} must map names to strings`);
  }
  return errs;
}

export function validateSegment(seg: unknown, path = ""): string[] {
  const errs: Errors = [];
  if (!isObj(seg)) return [`${path || "segment"} must be an object`];
  allowOnly(seg, ["description", "conditions"], path, errs);
  // Segments nest one level below a flag's conditions and may not exclude.
  conditionList(seg.conditions, at(path, "conditions"), errs, 1, true);
  const walk = (cs: unknown, p: string): void => {
    if (!Array.isArray(cs)) return;
    for (const [i, c] of cs.entries()) {
      if (!isObj(c)) continue;
      if (c.type === "segment") errs.push(`${p}[${i}] must not reference another segment`);
      if (c.type === "all") walk(c.conditions, `${p}[${i}].conditions`);
    }
  };
  walk(seg.conditions, at(path, "conditions"));
  return errs;
}
