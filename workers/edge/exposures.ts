// Records experiment exposures seen at the edge, deduplicated per isolate and sent to the origin (RPC) in the background.

import type { EdgeConfig } from "../../shared/env/index.ts";
import type { FlagResult } from "../../shared/flags/index.ts";
import { log } from "../../shared/log/index.ts";

const seen = new Set<string>();
const MAX_SEEN = 10_000;

export function recordEdgeExposures(
  config: EdgeConfig,
  ctx: ExecutionContext,
  subject: string,
  results: readonly FlagResult[],
): void {
  const rows: { flag: string; variant: string; subject: string }[] = [];
  for (const r of results) {
    const id = `${r.key}\u0000${subject}`;
    if (seen.has(id)) continue;
    if (seen.size >= MAX_SEEN) seen.clear();
    seen.add(id);
    rows.push({ flag: r.key, variant: r.variant, subject });
  }
  if (rows.length === 0) return;
  ctx.waitUntil(
    config.bindings.ORIGIN.recordExposures(rows).catch((e: unknown) =>
      log.warn("exposures not sent", { error: e }),
    ),
  );
}
