// Requests the cache must not answer (personal pages, writes): straight to the origin within the request's deadline.
import { withTimeout } from "../deadline/index.ts";
import { applyOriginPurge, type FillDeps, type OriginFetch } from "./fill.ts";
import { OriginTimeoutError } from "./origin-health.ts";
import { annotate, type FailureResponder, originFailure } from "./respond.ts";
import type { Forward } from "./status.ts";

export type PassDeps = Pick<FillDeps, "health" | "purger" | "now" | "originTimeoutMs">;

/** `reason` is the classifier's ("method" for writes); `deadline` is the request's, in epoch ms. */
export async function pass(
  d: PassDeps,
  request: Request,
  fetchOrigin: OriginFetch,
  reason: string,
  failure?: FailureResponder,
  deadline?: number,
): Promise<Response> {
  const fwd: Forward = reason === "method" ? "method" : "bypass";
  // Personal pages and writes get the same deadline as fills: an origin stuck on a dead database must not leave a
  // signed-in visitor (or a form post) waiting with no answer.
  const ac = new AbortController();
  let res: Response;
  try {
    const ms = deadline === undefined ? d.originTimeoutMs : Math.min(d.originTimeoutMs, deadline - d.now());
    res = await withTimeout(fetchOrigin(new Request(request, { signal: ac.signal })), ms, {
      controller: ac,
      error: () => new OriginTimeoutError(ms),
    });
  } catch (e) {
    d.health.failure(d.now());
    const kind = e instanceof OriginTimeoutError ? "origin-timeout" : "origin-error";
    return originFailure(kind, { fwd, detail: reason }, failure);
  }
  if (res.status >= 500) d.health.failure(d.now());
  else d.health.success();
  res = (await applyOriginPurge(res, d.purger)).res;
  return annotate(res, { fwd, fwdStatus: res.status, detail: reason });
}
