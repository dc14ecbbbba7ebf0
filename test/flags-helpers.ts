// Helpers for the flag integration tests: the CLI's admin requests, page probes, and cleanup of touched flags.

import { afterEach, beforeAll, expect } from "vitest";
import { cookieName } from "../shared/site/index.ts";
import { admin, site } from "./helpers.ts";

export const TALK = "/events/edge-summit-2027/talks/grace-mode";
export const EVENT = "/events/edge-summit-2027";
export const ADA = { cookie: "sid=dev-session-ada" };
export const BOB = { cookie: "sid=dev-session-bob" };
// Any path goes through flag evaluation; this one is bypassed and cheap.
export const PROBE = "/_test/hits/flags-probe";
export const PAGE_FLAGS = ["new-talk-page", "home-promo", "register-cta"];

export type Change = { key: string; doc: unknown; changed: boolean; version: string };
export type Audit = {
  entries: { key: string; actor: string; before: unknown; after: unknown; at: string }[];
};

const touched = new Set<string>();

/**
 * The admin requests `npm run flags -- <command>` sends (scripts/flags-args.ts; pinned by scripts/flags.test.ts).
 * Mirrored rather than imported: the CLI's parser uses node:util parseArgs, which workerd does not implement.
 */
export const CLI = {
  onForTags: (key: string, tags: string[]) =>
    ["PATCH", key, { state: "selective", replaceIncludes: true, tags }, ""] as const,
  on: (key: string) => ["POST", key, undefined, "/on"] as const,
  off: (key: string) => ["POST", key, undefined, "/off"] as const,
  setVariants: (key: string, variants: { name: string; weight: number }[]) =>
    ["PATCH", key, { variants, cacheKey: true }, ""] as const,
};

export async function cli(req: readonly [string, string, unknown, string]): Promise<Change> {
  return change(req[0], req[1], req[2], req[3]);
}

export async function change(method: string, key: string, body?: unknown, suffix = ""): Promise<Change> {
  touched.add(key);
  const r = await admin(method, `/_admin/flags/${encodeURIComponent(key)}${suffix}`, body);
  expect(r.res.status, r.text).toBe(200);
  return r.json as Change;
}

export async function publishedVersion(): Promise<string | null> {
  const r = await admin("GET", "/_admin/flags");
  expect(r.res.status, r.text).toBe(200);
  return (r.json as { version: string | null }).version;
}

export const edgeVersion = async () => (await site(PROBE)).res.headers.get("x-flags-version");
export const layoutOf = (body: string) => /data-layout="(new|classic)"/.exec(body)?.[1];
export const ctaOf = (body: string) => /data-variant="([^"]*)"/.exec(body)?.[1];
export const hasPromo = (body: string) => body.includes('class="promo"');
export const anonIdOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => new RegExp(`^${cookieName("aid")}=([^;]+)`).exec(c)?.[1])
    .find((v) => v !== undefined);

export async function deleteFlag(key: string) {
  const r = await admin("DELETE", `/_admin/flags/${encodeURIComponent(key)}`);
  if (r.res.status !== 200 && r.res.status !== 404)
    throw new Error(`cleanup of ${key}: ${r.res.status} ${r.text}`);
}

/** Each file starts with the page flags off and deletes every flag it touched after each test. */
export function cleanFlags(): void {
  beforeAll(async () => {
    // A run that died half-way must not leave a page flag switched on for this one.
    for (const key of PAGE_FLAGS) await deleteFlag(key);
  });
  afterEach(async () => {
    for (const key of touched) await deleteFlag(key);
    touched.clear();
  });
}
