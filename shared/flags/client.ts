// The typed helper handlers and templates use; records each experiment exposure once per request.

import type { EvaluatedFlags, FlagResult, Payload } from "./types.ts";

export interface Exposure {
  flag: string;
  variant: string;
  /** userId or anonymousId; null when the visitor has neither. */
  subject: string | null;
  version: string;
}

export interface Flags {
  readonly version: string;
  isOn(key: string): boolean;
  /** "on"/"off", or the experiment's variant (which records an exposure, once per key). */
  variant(key: string): string;
  /** The served variant's payload (reading it is seeing the variant, so it records the exposure too). */
  payload(key: string): Payload | undefined;
  result(key: string): FlagResult | undefined;
  all(): Record<string, FlagResult>;
}

const isExperiment = (r: FlagResult): boolean =>
  r.reason === "SPLIT" && r.variant !== "on" && r.variant !== "off";

export function createFlags(
  evaluated: EvaluatedFlags,
  onExposure?: (exposure: Exposure) => void,
  subject: string | null = evaluated.subject,
): Flags {
  const { results, index, version } = evaluated;
  let exposed: Set<string> | null = null;
  const get = (key: string): FlagResult | undefined => {
    const i = index.get(key);
    return i === undefined ? undefined : results[i];
  };
  const flags: Flags = {
    version,
    isOn: (key) => get(key)?.value === true,
    payload(key) {
      flags.variant(key);
      return get(key)?.payload;
    },
    variant(key) {
      const r = get(key);
      if (!r) return "off";
      if (onExposure && isExperiment(r)) {
        exposed ??= new Set();
        if (!exposed.has(key)) {
          exposed.add(key);
          try {
            onExposure({ flag: key, variant: r.variant, subject, version });
          } catch {
            // Recording an exposure must never break the page that shows the variant.
          }
        }
      }
      return r.variant;
    },
    result: get,
    all() {
      const out: Record<string, FlagResult> = {};
      for (const r of results) out[r.key] = r;
      return out;
    },
  };
  return flags;
}
