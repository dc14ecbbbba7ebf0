// The operations console in real Chromium against the real stack over HTTP: each flow an operator runs, end to end.
// The site's side of each flow is checked with plain requests (cheaper than a page load); screenshots of every page
// land in .build/screenshots/, each checked to fit 375 px without scrolling sideways.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieName } from "../../shared/site/index.ts";
import {
  closeDatabase,
  launch,
  overflow,
  query,
  request,
  resetShots,
  SKIPPED,
  sessionOf,
  shot,
  signedIn,
  startSite,
  timed,
  URL_,
  until,
  writeTimings,
} from "./helpers.ts";

const TALK = "/events/edge-summit-2027/talks/grace-mode";
const EVENT = "/events/frontend-north-2027";
// A fixed visitor id: the anonymous page's cache key (flag variants in it) is the same on every request.
const VISITOR = `${cookieName("aid")}=browser-test-visitor`;

describe.skipIf(SKIPPED !== null)("the operations console in a browser", () => {
  let browser: Browser;
  let staff: BrowserContext;
  let page: Page;

  let site: { close(): Promise<void> } | undefined;

  beforeAll(async () => {
    await resetShots();
    site = await startSite();
    browser = await launch();
    staff = await signedIn(browser, "ada@example.com");
    page = await staff.newPage();
  });
  afterAll(async () => {
    await writeTimings();
    await browser?.close();
    await site?.close();
    await closeDatabase();
  });

  /** A screenshot of a console page, which must fit the phone's width. */
  async function consoleShot(name: string) {
    expect(await overflow(page), `${name} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
    await shot(page, name);
  }

  /** A flag's page, the flag created (off) through the list's form if it does not exist yet. */
  async function openFlag(key: string) {
    const res = await page.goto(`${URL_}/admin/flags/${key}`);
    if (res?.status() !== 404) return;
    await page.goto(`${URL_}/admin/flags`);
    await page.fill('input[name="key"]', key);
    await page.click('button:has-text("Create (off)")');
    await page.waitForURL(`**/admin/flags/${key}?saved=*`);
  }

  async function saveRules(fields: Record<string, string>, cacheKey = false) {
    for (const name of ["users", "tags", "tenants", "percentage", "variants"]) {
      await page.fill(`input[name="${name}"]`, fields[name] ?? "");
    }
    await page.setChecked('input[name="cacheKey"]', cacheKey);
    await page.click('button:has-text("Save rules")');
    await page.waitForSelector(".console-ok");
  }

  it("refuses a signed-in user who is not staff, and an anonymous visitor", async () => {
    await timed("refused", async () => {
      const bob = await signedIn(browser, "bob@example.com");
      const p = await bob.newPage();
      const res = await p.goto(`${URL_}/admin/flags`);
      expect(res?.status()).toBe(403);
      await expect(p.textContent("h1")).resolves.toBe("The operations console is for staff");
      await expect(p.textContent("main")).resolves.toContain("not tagged staff");
      await shot(p, "refused");
      await bob.close();
      expect((await request("/admin/flags")).status).toBe(403);
    });
  });

  it("targets a flag at a tag; a user with that tag sees the new page, others do not", async () => {
    await timed("flag for a tag", async () => {
      await openFlag("new-talk-page");
      await saveRules({ tags: "beta" });
      await page.click('button:has-text("On by its rules")');
      await page.waitForSelector('[data-state="selective"]');
      await expect(page.textContent("table.audit")).resolves.toContain("ada@example.com");
      // Documented delay: each edge re-reads the rules every SWITCH_MEMORY_MS (2 s deployed, 250 ms here).
      const bob = `sid=${await sessionOf("bob@example.com")}`;
      await until(async () => (await request(TALK, bob)).body.includes('data-layout="new"'));
      expect((await request(TALK)).body).toContain('data-layout="classic"');
      await page.fill('input[name="who"]', "bob@example.com");
      await page.click('button:has-text("Evaluate")');
      await expect(page.getAttribute(".who", "data-who-reason")).resolves.toBe("TARGETING_MATCH");
      await consoleShot("page-flag");
    });
  });

  it("flips read-only: the banner shows, a registration gets the read-only page, and it switches back", async () => {
    await timed("read-only", async () => {
      await page.goto(`${URL_}/admin/readonly`);
      await page.fill('input[name="reason"]', "Console drill");
      await page.fill('input[name="retryAfter"]', "30");
      await page.click('button:has-text("Switch read-only on")');
      await page.waitForSelector('[data-readonly="on"]');
      await expect(page.textContent("[data-readonly]")).resolves.toContain("ada@example.com");
      await consoleShot("page-readonly");

      await until(async () => (await request(EVENT)).body.includes("readonly-banner"));
      const visitor = await signedIn(browser, null);
      const p = await visitor.newPage();
      await p.goto(`${URL_}${EVENT}`);
      await expect(p.textContent(".readonly-banner")).resolves.toContain("Console drill");
      await p.fill('input[name="name"]', "Read Only");
      await p.fill('input[name="email"]', "read-only@example.com");
      const [post] = await Promise.all([
        p.waitForResponse((r) => r.request().method() === "POST"),
        p.click("form.register button"),
      ]);
      expect(post.status()).toBe(503);
      await expect(p.textContent("h1")).resolves.toBe("Read-only mode: your change was not saved");
      await shot(p, "site-read-only-refusal");
      await visitor.close();

      // The switch still works while the site is read-only (the console keeps its staff and its one form).
      await page.click('button:has-text("Switch read-only off")');
      await page.waitForSelector('[data-readonly="off"]');
      await until(async () => !(await request(EVENT)).body.includes("readonly-banner"));
    });
  });

  it("looks up a cached page and purges it: the next anonymous request is a miss", async () => {
    await timed("purge", async () => {
      await until(async () => (await request(EVENT, VISITOR)).cacheStatus.includes("hit"));
      await page.goto(`${URL_}/admin/cache`);
      await page.fill('input[name="url"]', `${URL_}${EVENT}`);
      await page.click('button:has-text("Look up")');
      await page.waitForSelector('[data-stored="yes"]');
      await expect(page.textContent('output[data-result="inspect"]')).resolves.toContain("event:");
      await page.fill('textarea[name="urls"]', `${URL_}${EVENT}`);
      await page.click('button:has-text("Purge")');
      await page.waitForSelector("[data-purged]");
      await consoleShot("page-cache");
      expect((await request(EVENT, VISITOR)).cacheStatus).toContain("fwd=uri-miss");
    });
  });

  it("re-runs a dead job, which then succeeds", async () => {
    await timed("dead job re-run", async () => {
      const jobId = crypto.randomUUID();
      const payload = { eventSlug: "edge-summit-2027", email: `gone-${jobId}@example.com`, name: "Gone" };
      await query(
        `insert into dead_jobs (job_id, name, payload, error, attempts, request_id)
         values ($1, 'send-confirmation', $2, 'mail server down', 5, 'req-browser-test')`,
        [jobId, JSON.stringify(payload)],
      );
      await page.goto(`${URL_}/admin/jobs`);
      const row = await page.textContent(`tr[data-job="${jobId}"]`);
      expect(row).toContain("mail server down");
      expect(row).toContain("req-browser-test");
      await consoleShot("page-jobs");
      await page.click(`tr[data-job="${jobId}"] button:has-text("Re-run")`);
      await page.waitForSelector(".console-ok");
      expect(await page.isVisible(`tr[data-job="${jobId}"]`)).toBe(false);
      await until(
        async () => (await query("select 1 from job_ledger where job_id = $1", [jobId])).length === 1,
      );
    });
  });

  it("shows an experiment's table from simulated traffic", async () => {
    await timed("experiment", async () => {
      await openFlag("register-cta");
      await saveRules({ variants: "control:50, bold:50" }, true);
      await page.click('button:has-text("On for everyone")');
      await page.waitForSelector('[data-state="on"]');
      // 400 signed-in visitors, split evenly; 10 % of control and 20 % of bold register after seeing it.
      await query("delete from exposures where flag = 'register-cta'");
      await query(
        `with u as (
           insert into users (email, name)
           select 'sim-' || $1 || '-' || i || '@example.com', 'Sim ' || i from generate_series(1, 400) i
           returning id, email, substring(email from '-(\\d+)@')::int as i
         ), x as (
           insert into exposures (flag, variant, subject, first_seen)
           select 'register-cta', case when i % 2 = 0 then 'bold' else 'control' end, id::text,
             now() - interval '1 day'
           from u
         )
         insert into registrations (event_id, name, email)
         select (select id from events where slug = 'edge-summit-2027'), 'Sim', email from u
         where (i % 2 = 0 and i % 10 = 0) or (i % 2 = 1 and i % 20 = 1)`,
        [Date.now().toString(36)],
      );
      await page.goto(`${URL_}/admin/experiments`);
      const row = (variant: string, cell: string) =>
        page.textContent(`[data-experiment="register-cta"] tr[data-variant="${variant}"] [data-${cell}]`);
      await expect(row("control", "exposed")).resolves.toBe("200");
      await expect(row("control", "converted")).resolves.toBe("20");
      await expect(row("bold", "converted")).resolves.toBe("40");
      await expect(row("bold", "p")).resolves.toBe("0.005");
      // Readable without scrolling the table sideways on a phone.
      await expect(page.textContent('[data-verdict="bold"]')).resolves.toMatch(/\+10\.0 pp .*p = 0\.005/);
      expect(await page.isVisible('[data-experiment="register-cta"] [data-srm]')).toBe(false);
      await consoleShot("page-experiments");
    });
  });

  it("shows the other pages, private and within 375 px", async () => {
    await timed("other pages", async () => {
      for (const section of ["flags", "database", "errors"]) {
        const res = await page.goto(`${URL_}/admin/${section}`);
        expect(res?.status(), section).toBe(200);
        expect(res?.headers()["cache-control"], section).toBe("private, no-store");
        await consoleShot(`page-${section}`);
      }
    });
  });
});
