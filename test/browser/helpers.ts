// Shared pieces of the browser tests: Chromium, signed-in contexts, the database, timings and screenshots.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import pg from "pg";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { inject } from "vitest";
import { createTestHarness } from "wrangler";
import { newSessionId, sessionKey } from "../../shared/identity/index.ts";

const target = inject("browser");
export const SKIPPED = "skipped" in target ? target.skipped : null;
const stack = inject("stack");

/** The site's base URL once startSite() has run. */
export let URL_ = "";

/** The three Workers over HTTP (wrangler's test harness), for this file's browser; stop it after. */
export async function startSite(): Promise<{ close(): Promise<void> }> {
  if (!("workers" in target)) throw new Error("no browser");
  const harness = createTestHarness({ root: target.root, workers: target.workers });
  URL_ = (await harness.listen()).url.origin;
  return harness;
}

export const SHOTS = resolve(import.meta.dirname, "../../.build/screenshots");
/** Narrow phone width the console must work at without sideways scrolling. */
export const PHONE = { width: 375, height: 740 };

export async function launch(): Promise<Browser> {
  if (!("executablePath" in target)) throw new Error("no browser");
  return chromium.launch({ executablePath: target.executablePath, args: ["--no-sandbox", "--disable-gpu"] });
}

let pool: pg.Pool | null = null;

/** One statement on the stack's primary. */
export async function query<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  pool ??= new pg.Pool({ connectionString: stack.primaryUrl, max: 2 });
  return (await pool.query(text, values)).rows as T[];
}

export async function closeDatabase(): Promise<void> {
  await pool?.end();
  pool = null;
}

/** A new session for the user with this email, stored as the product stores one: the cookie's value. */
export async function sessionOf(email: string): Promise<string> {
  const id = newSessionId();
  await query(
    `insert into sessions (id, user_id, expires_at) select $1, id, now() + interval '1 hour' from users where email = $2`,
    [await sessionKey(id), email],
  );
  return id;
}

/** A browser context (phone-sized) signed in as the user with this email, or anonymous. */
export async function signedIn(
  browser: Browser,
  email: string | null,
  viewport = PHONE,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  if (email) await context.addCookies([{ name: "sid", value: await sessionOf(email), url: URL_ }]);
  return context;
}

/** The page fits the phone's width: nothing makes it scroll sideways (wide tables scroll inside their box). */
export function overflow(page: Page): Promise<number> {
  // Runs in the page: the DOM's globals, which this file's (Workers) types do not declare.
  return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") as Promise<number>;
}

/** Empties .build/screenshots/, so it holds this run's pictures only. */
export async function resetShots(): Promise<void> {
  await rm(SHOTS, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });
}

/** A full-page screenshot under .build/screenshots/. */
export async function shot(page: Page, name: string): Promise<string> {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const timings: Record<string, number> = {};

/** Runs a flow and notes how long it took in the browser (written to .build/screenshots/timings.json). */
export async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
}

export async function writeTimings(): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await writeFile(join(SHOTS, "timings.json"), `${JSON.stringify(timings, null, 2)}\n`);
}

/** A plain request to the site (no browser), with the cookie header given if any, and its Cache-Status. */
export async function request(
  path: string,
  cookie?: string,
): Promise<{ status: number; cacheStatus: string; body: string }> {
  const res = await fetch(`${URL_}${path}`, { redirect: "manual", headers: cookie ? { cookie } : {} });
  return { status: res.status, cacheStatus: res.headers.get("cache-status") ?? "", body: await res.text() };
}

/** Polls until `check` gives a value, or fails after `ms` (no fixed sleeps). */
export async function until<T>(check: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
