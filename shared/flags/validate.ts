// Validates rule documents on write, returning precise human messages (empty list = valid); never throws.

import type { Condition, FlagDoc, Variant } from "./types.ts";
import { conditionList } from "./validate-condition.ts";
import { allowOnly, at, type Errors, isObj, isValidFlagKey, optBool, stringList } from "./validate-util.ts";
import { validateServed } from "./validate-variants.ts";

export { isValidFlagKey } from "./validate-util.ts";

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

/**
 * A cache-key flag splits cached pages by variant name alone, so one name must mean one payload wherever it is
 * served (the flag's variants and every include's).
 */
function payloadsAgree(doc: FlagDoc, path: string, errs: Errors): void {
  const lists: (Variant[] | undefined)[] = [
    doc.variants,
    ...(doc.conditions ?? []).map((c: Condition) => c.variants),
  ];
  const payloads = new Map<string, string>();
  for (const list of lists) {
    for (const v of list ?? []) {
      const p = JSON.stringify(v.payload ?? null);
      if ((payloads.get(v.name) ?? p) !== p)
        errs.push(
          `${path || "flag"}: variant "${v.name}" has different payloads, which a cache-key flag cannot tell apart`,
        );
      payloads.set(v.name, p);
    }
  }
}

/** Messages for one flag document; `path` prefixes them (e.g. `flags.checkout`). */
export function validateFlag(doc: unknown, path = ""): string[] {
  const errs: Errors = [];
  if (!isObj(doc)) return [`${path || "flag"} must be an object`];
  allowOnly(
    doc,
    [
      "state",
      "description",
      "conditions",
      "variants",
      "variantStickiness",
      "groupId",
      "requires",
      "cacheKey",
      "meta",
    ],
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
  validateServed(doc, path, errs, "groupId");
  if (errs.length === 0 && doc.cacheKey === true) payloadsAgree(doc as unknown as FlagDoc, path, errs);
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
