// Frozen result objects, built once per flag at compile time so evaluation hands them out without allocating.

import type { FlagResult, Payload, Reason } from "./types.ts";

export function result(
  key: string,
  value: boolean,
  variant: string,
  reason: Reason,
  payload?: Payload,
): FlagResult {
  return Object.freeze(
    payload
      ? { key, value, variant, reason, payload: Object.freeze({ ...payload }) }
      : { key, value, variant, reason },
  );
}

export function errorResult(key: string, value: boolean, errorCode: string): FlagResult {
  return Object.freeze({ key, value, variant: value ? "on" : "off", reason: "ERROR", errorCode });
}

/** Every answer a flag without variants can give. */
export interface Results {
  /** state on: STATIC true. */
  readonly on: FlagResult;
  /** state off, a disabled parent or an unmet dependency: DISABLED false. */
  readonly off: FlagResult;
  /** An exclusion matched: TARGETING_MATCH false. */
  readonly excluded: FlagResult;
  /** An inclusion matched: TARGETING_MATCH true. */
  readonly match: FlagResult;
  /** A percentage bucket matched: SPLIT true. */
  readonly split: FlagResult;
  /** Selective and nothing matched: DEFAULT false. */
  readonly noMatch: FlagResult;
  /** Not stored, declared in code: DEFAULT with the code's value. */
  readonly fallback: FlagResult;
  /** Malformed document: ERROR with the code's value. */
  readonly parseError: FlagResult;
  /** A rule threw while evaluating: ERROR with the code's value. */
  readonly general: FlagResult;
}

export function fixedResults(key: string, defaultValue: boolean): Results {
  return Object.freeze({
    on: result(key, true, "on", "STATIC"),
    off: result(key, false, "off", "DISABLED"),
    excluded: result(key, false, "off", "TARGETING_MATCH"),
    match: result(key, true, "on", "TARGETING_MATCH"),
    split: result(key, true, "on", "SPLIT"),
    noMatch: result(key, false, "off", "DEFAULT"),
    fallback: result(key, defaultValue, defaultValue ? "on" : "off", "DEFAULT"),
    parseError: errorResult(key, defaultValue, "PARSE_ERROR"),
    general: errorResult(key, defaultValue, "GENERAL"),
  });
}
