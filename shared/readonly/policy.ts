// Pure rule for read-only mode: which requests may still run while writes are switched off.
import type { ReadOnlyState } from "./state.ts";

export type ReadOnlyDecision = "allow" | "block";

/** The admin area (which holds the switch itself) must keep working, or read-only could never be undone. */
export const DEFAULT_READ_ONLY_ALLOW_LIST: readonly string[] = ["/_admin/"];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** `pathname` must come from `new URL(request.url).pathname`, which has already resolved `..` segments. */
export function readOnlyDecision(
  method: string,
  pathname: string,
  state: Pick<ReadOnlyState, "on">,
  allowList: readonly string[],
): ReadOnlyDecision {
  if (!state.on) return "allow";
  if (SAFE_METHODS.has(method.toUpperCase())) return "allow";
  return allowList.some((prefix) => matchesPrefix(pathname, prefix)) ? "allow" : "block";
}

/** Prefixes match whole path segments, so "/_admin" allows "/_admin/x" but never "/_administrator". */
export function matchesPrefix(pathname: string, prefix: string): boolean {
  if (prefix === "" || prefix === "/") return prefix === "/";
  const base = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  return pathname === base || pathname.startsWith(`${base}/`);
}
