// Validates conditions (and their Unleash-style operators) inside flag and segment documents.

import { parseCidr } from "./cidr.ts";
import { compileRegex } from "./regex.ts";
import { parseSemver } from "./semver.ts";
import {
  allowOnly,
  at,
  type Errors,
  FIELD_HELP,
  HOST,
  isField,
  isObj,
  isStickiness,
  MAX_DEPTH,
  type Obj,
  OPERATORS,
  optBool,
  stringList,
  TOKEN,
  timeOf,
  timeOk,
} from "./validate-util.ts";
import { validateServed } from "./validate-variants.ts";

function validateMatch(o: Obj, path: string, errs: Errors): void {
  const op = o.operator;
  if (typeof op !== "string" || !OPERATORS.has(op)) {
    errs.push(`${at(path, "operator")} must be one of ${[...OPERATORS].join(", ")}`);
    return;
  }
  optBool(o, "caseInsensitive", path, errs);
  optBool(o, "inverted", path, errs);
  if (op === "PRESENT" || op.startsWith("DATE_")) {
    if (op.startsWith("DATE_") && !timeOk(o.value))
      errs.push(`${at(path, "value")} must be an ISO-8601 date`);
    return;
  }
  if (op.startsWith("NUM_")) {
    if (typeof o.value !== "string" || o.value.trim() === "" || Number.isNaN(Number(o.value))) {
      errs.push(`${at(path, "value")} must be a number as a string`);
    }
    return;
  }
  if (op === "REGEX") {
    try {
      if (typeof o.value !== "string") throw new SyntaxError("missing");
      compileRegex(o.value);
    } catch (e) {
      errs.push(`${at(path, "value")} must be an RE2 regular expression (${(e as Error).message})`);
    }
    return;
  }
  if (op.startsWith("SEMVER_")) {
    if (typeof o.value !== "string" || !parseSemver(o.value)) {
      errs.push(`${at(path, "value")} must be a semantic version like 1.2.3`);
    }
    return;
  }
  if (op === "IN_CIDR") stringList(o.values, at(path, "values"), errs, (s) => !!parseCidr(s), "a CIDR");
  else stringList(o.values, at(path, "values"), errs);
}

const MATCH_KEYS = ["operator", "values", "value", "caseInsensitive", "inverted"];

const SERVED = ["variants", "variantStickiness", "variantGroupId"];

function validateCondition(c: unknown, path: string, errs: Errors, depth: number): void {
  if (!isObj(c)) {
    errs.push(`${path} must be an object`);
    return;
  }
  const base = ["type", "exclude", ...SERVED];
  if (c.exclude !== undefined) {
    if (typeof c.exclude !== "boolean") errs.push(`${at(path, "exclude")} must be true or false`);
    else if (depth > 0 && c.exclude)
      errs.push(`${at(path, "exclude")} is only allowed on top-level conditions`);
  }
  if (SERVED.some((k) => c[k] !== undefined)) {
    // Only the include that switches a flag on can choose its variants.
    if (depth > 0 || c.exclude === true) errs.push(`${path} may carry variants only as a top-level include`);
    else validateServed(c, path, errs, "variantGroupId");
  }
  switch (c.type) {
    case "users":
    case "tenants":
      allowOnly(c, [...base, "ids"], path, errs);
      stringList(c.ids, at(path, "ids"), errs);
      return;
    case "tags":
      allowOnly(c, [...base, "tags"], path, errs);
      stringList(c.tags, at(path, "tags"), errs);
      return;
    case "percentage": {
      allowOnly(c, [...base, "percentage", "range", "groupId", "stickiness"], path, errs);
      const p = c.percentage;
      const r = c.range;
      if ((p === undefined) === (r === undefined))
        errs.push(`${path} needs exactly one of percentage or range`);
      if (p !== undefined && (typeof p !== "number" || !(p >= 0 && p <= 100))) {
        errs.push(`${at(path, "percentage")} must be 0..100`);
      }
      if (r !== undefined) {
        const ok =
          Array.isArray(r) &&
          r.length === 2 &&
          r.every((x) => typeof x === "number" && x >= 0 && x <= 100) &&
          (r[0] as number) <= (r[1] as number);
        if (!ok) errs.push(`${at(path, "range")} must be [from, to] with 0 <= from <= to <= 100`);
      }
      if (c.groupId !== undefined && (typeof c.groupId !== "string" || c.groupId === "")) {
        errs.push(`${at(path, "groupId")} must be a non-empty string`);
      }
      if (c.stickiness !== undefined && !isStickiness(c.stickiness)) {
        errs.push(`${at(path, "stickiness")} must be default, random or ${FIELD_HELP}`);
      }
      return;
    }
    case "ip":
      allowOnly(c, [...base, "cidrs"], path, errs);
      stringList(c.cidrs, at(path, "cidrs"), errs, (s) => !!parseCidr(s), "an IPv4/IPv6 address or CIDR");
      return;
    case "country":
      allowOnly(c, [...base, "countries"], path, errs);
      stringList(
        c.countries,
        at(path, "countries"),
        errs,
        (s) => /^[A-Za-z0-9]{2}$/.test(s),
        "a 2-letter code",
      );
      return;
    case "host":
      allowOnly(c, [...base, "hosts"], path, errs);
      stringList(c.hosts, at(path, "hosts"), errs, (s) => HOST.test(s), "a host name or *.domain");
      return;
    case "header":
    case "cookie":
      allowOnly(c, [...base, "name", ...MATCH_KEYS], path, errs);
      if (typeof c.name !== "string" || !TOKEN.test(c.name))
        errs.push(`${at(path, "name")} must be a ${c.type} name`);
      validateMatch(c, path, errs);
      return;
    case "constraint": {
      allowOnly(c, [...base, "field", ...MATCH_KEYS], path, errs);
      if (!isField(c.field)) errs.push(`${at(path, "field")} must be ${FIELD_HELP}`);
      validateMatch(c, path, errs);
      return;
    }
    case "time": {
      allowOnly(c, [...base, "from", "until"], path, errs);
      if (c.from === undefined && c.until === undefined) errs.push(`${path} needs from or until`);
      for (const k of ["from", "until"]) {
        if (c[k] !== undefined && !timeOk(c[k]))
          errs.push(`${at(path, k)} must be an ISO-8601 date or epoch ms`);
      }
      if (timeOk(c.from) && timeOk(c.until) && timeOf(c.from) >= timeOf(c.until)) {
        errs.push(`${at(path, "from")} must be before until`);
      }
      return;
    }
    case "segment":
      allowOnly(c, [...base, "segment"], path, errs);
      if (typeof c.segment !== "string" || c.segment === "")
        errs.push(`${at(path, "segment")} must be a segment name`);
      return;
    case "all":
      allowOnly(c, [...base, "conditions"], path, errs);
      if (depth >= MAX_DEPTH) {
        errs.push(`${path} nests deeper than ${MAX_DEPTH} levels`);
        return;
      }
      conditionList(c.conditions, at(path, "conditions"), errs, depth + 1, true);
      return;
    default:
      errs.push(
        `${at(path, "type")} must be one of users, tags, tenants, percentage, ip, country, host, header, cookie, time, constraint, segment, all`,
      );
  }
}

export function conditionList(
  v: unknown,
  path: string,
  errs: Errors,
  depth: number,
  nonEmpty: boolean,
): void {
  if (!Array.isArray(v)) {
    errs.push(`${path} must be an array`);
    return;
  }
  if (nonEmpty && v.length === 0) errs.push(`${path} must not be empty`);
  if (v.length > 200) {
    errs.push(`${path} must have at most 200 conditions`);
    return;
  }
  for (const [i, c] of v.entries()) validateCondition(c, `${path}[${i}]`, errs, depth);
}
