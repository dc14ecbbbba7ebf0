// Flags as a user meets them: targeting, rollouts and experiments changed through the admin API, served by the edge.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { normalizedValue } from "../shared/flags/index.ts";
import { CACHE_NAME, cookieName } from "../shared/site/index.ts";
import { EDGE_CONTEXT_HEADER, type EdgeContext, signEdgeContext } from "../shared/trust/index.ts";
import {
  ADA,
  anonIdOf,
  BOB,
  CLI,
  change,
  cleanFlags,
  cli,
  ctaOf,
  EVENT,
  edgeVersion,
  hasPromo,
  layoutOf,
  PROBE,
  TALK,
} from "./flags-helpers.ts";
import { eventually, SITE, site, sql } from "./helpers.ts";

cleanFlags();

describe("feature flags at the edge", () => {
  it("`on new-talk-page --tag staff` shows the new talk page to staff within seconds, to nobody else", async () => {
    const changed = await cli(CLI.onForTags("new-talk-page", ["staff"]));
    expect(changed.doc).toMatchObject({
      state: "selective",
      conditions: [{ type: "tags", tags: ["staff"] }],
    });

    const ada = await eventually(
      async () => {
        const r = await site(TALK, { headers: ADA });
        return layoutOf(r.body) === "new" && r;
      },
      5000,
      50,
    );
    expect(ada.res.headers.get("x-flags-version")).toBe(changed.version);
    expect(ada.body).toContain("My account");

    const bob = await site(TALK, { headers: BOB });
    expect(bob.res.headers.get("x-flags-version")).toBe(changed.version);
    expect(bob.body).toContain("My account");
    expect(layoutOf(bob.body)).toBe("classic");

    const anon = await site(TALK);
    expect(anon.res.status).toBe(200);
    expect(anon.res.headers.get("x-flags-version")).toBe(changed.version);
    expect(layoutOf(anon.body)).toBe("classic");

    // The kill switch takes it away from staff too.
    await cli(CLI.off("new-talk-page"));
    await eventually(async () => layoutOf((await site(TALK, { headers: ADA })).body) === "classic", 5000, 50);
  });

  it("site properties target a flag: the event from the path (edge) and the user's email domain (origin)", async () => {
    const event = { type: "constraint", field: "prop:event", operator: "IN", values: ["edge-summit-2027"] };
    const domain = { type: "constraint", field: "prop:emailDomain", operator: "IN", values: ["example.com"] };
    await change("PUT", "new-talk-page", {
      state: "selective",
      conditions: [{ type: "all", conditions: [event, domain] }],
    });
    await eventually(async () => layoutOf((await site(TALK, { headers: ADA })).body) === "new", 5000, 50);
    expect(layoutOf((await site(TALK)).body)).toBe("classic");
    const other = await change("PUT", "new-talk-page", {
      state: "selective",
      conditions: [{ type: "all", conditions: [{ ...event, values: ["another-event"] }, domain] }],
    });
    await eventually(async () => (await edgeVersion()) === other.version, 5000, 50);
    expect(layoutOf((await site(TALK, { headers: ADA })).body)).toBe("classic");
  });

  it("a 25 % cache-key rollout is sticky, splits ~25/75, and stays cacheable per variant", async () => {
    const path = `/?t=${crypto.randomUUID()}`;
    const changed = await change("PATCH", "home-promo", {
      state: "selective",
      replaceIncludes: true,
      percentage: 25,
      cacheKey: true,
    });
    await eventually(async () => (await edgeVersion()) === changed.version, 5000, 50);

    const visitors: { aid: string; promo: boolean; cache: string }[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const rs = await Promise.all(Array.from({ length: 20 }, () => site(path)));
      for (const r of rs) {
        expect(r.res.status).toBe(200);
        // Exactly one cookie, the visitor's own id: nothing stored in the cache is replayed.
        expect(r.res.headers.getSetCookie()).toHaveLength(1);
        const aid = anonIdOf(r.res);
        expect(aid).toMatch(/^[0-9a-f-]{36}$/);
        visitors.push({ aid: aid ?? "", promo: hasPromo(r.body), cache: r.cacheStatus });
      }
    }
    expect(new Set(visitors.map((v) => v.aid)).size).toBe(400);
    // Each visitor sees exactly what Unleash's bucket says for their id.
    const wrong = visitors.filter((v) => v.promo !== normalizedValue(v.aid, "home-promo") <= 25);
    expect(wrong).toEqual([]);
    const share = visitors.filter((v) => v.promo).length / visitors.length;
    const hits = visitors.filter((v) => v.cache.includes(`${CACHE_NAME}; hit`)).length;
    console.log(
      `home-promo at 25 %: ${(share * 100).toFixed(1)} % of 400 visitors saw it; ${hits} cache hits`,
    );
    // The ids are random, so the share is too: 400 draws at 25 % have σ ≈ 2.2 points; ±11 (5σ) fails once in
    // millions of runs by chance, while a rollout that ignored the percentage (0 or 100 %) fails every time.
    expect(share).toBeGreaterThanOrEqual(0.14);
    expect(share).toBeLessThanOrEqual(0.36);
    // Two variants, two cached copies: nearly every visitor was served from the cache.
    expect(hits).toBeGreaterThan(350);

    for (const promo of [true, false]) {
      const v = visitors.find((x) => x.promo === promo);
      if (!v) throw new Error(`no visitor with promo=${promo}`);
      const again = [];
      for (let i = 0; i < 3; i++)
        again.push(await site(path, { headers: { cookie: `${cookieName("aid")}=${v.aid}` } }));
      for (const r of again) {
        expect(hasPromo(r.body)).toBe(promo);
        expect(r.cacheStatus).toMatch(`${CACHE_NAME}; hit`);
        // A visitor who already has an id is never sent a cookie, from the cache or not.
        expect(r.res.headers.getSetCookie()).toEqual([]);
      }
    }
  });

  it("an A/B experiment records exposures (flag, variant, subject) in the background", async () => {
    await cli(
      CLI.setVariants("register-cta", [
        { name: "control", weight: 50 },
        { name: "bold", weight: 50 },
      ]),
    );
    const on = await cli(CLI.on("register-cta"));
    expect(on.doc).toMatchObject({ state: "on", cacheKey: true });
    await eventually(async () => (await edgeVersion()) === on.version, 5000, 50);

    const path = `${EVENT}?t=${crypto.randomUUID()}`;
    const seen = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      const r = await site(path);
      const aid = anonIdOf(r.res);
      const variant = ctaOf(r.body);
      if (!aid || !variant) throw new Error(`no anonymous id or variant: ${r.res.status}`);
      seen.set(aid, variant);
    }
    expect(new Set(seen.values())).toEqual(new Set(["control", "bold"]));

    // Anonymous pages are cached, so the edge reports these; the origin never saw most of them.
    const aids = [...seen.keys()];
    const rows = await eventually(async () => {
      const rs = (await sql()`select subject, variant from exposures
        where flag = 'register-cta' and subject = any(${aids})`) as { subject: string; variant: string }[];
      return rs.length === aids.length && rs;
    }, 5000);
    for (const row of rows) expect(row.variant).toBe(seen.get(row.subject));

    // A signed-in visitor's page is rendered by the origin, which records what the handler read. Straight at
    // the origin (a made-up user id), so this row can only have come from the origin's own recording.
    const subject = String(900_000_000 + Math.floor(Math.random() * 99_999_999));
    const context: EdgeContext = {
      user: { id: Number(subject), tags: [] },
      anonymousId: null,
      flags: `v=${on.version};t=${Math.floor(Date.now() / 1000)};register-cta=bold.P`,
      flagsVersion: on.version,
      readOnly: false,
    };
    const res = await env.ORIGIN.fetch(`${SITE}${EVENT}`, {
      headers: { [EDGE_CONTEXT_HEADER]: await signEdgeContext(context, env.EDGE_SECRET) },
    });
    expect(ctaOf(await res.text())).toBe("bold");
    const row = await eventually(async () => {
      const rs = (await sql()`select variant from exposures
        where flag = 'register-cta' and subject = ${subject}`) as { variant: string }[];
      return rs[0];
    }, 5000);
    expect(row.variant).toBe("bold");
  });

  // Pages name the experiments they show (x-flags-exposed); others must not dilute the experiment.
  it("records an exposure only where the experiment is shown", async () => {
    await cli(
      CLI.setVariants("register-cta", [
        { name: "control", weight: 50 },
        { name: "bold", weight: 50 },
      ]),
    );
    const on = await cli(CLI.on("register-cta"));
    await eventually(async () => (await edgeVersion()) === on.version, 5000, 50);
    const aids: string[] = [];
    for (const path of ["/", TALK, PROBE]) {
      const r = await site(`${path}?t=${crypto.randomUUID()}`);
      expect(r.res.status).toBe(200);
      expect(ctaOf(r.body)).toBeUndefined();
      aids.push(anonIdOf(r.res) ?? "");
    }
    // Control: a visitor who did see it is recorded, so waiting for that row covers the background write.
    const shown = await site(`${EVENT}?t=${crypto.randomUUID()}`);
    const shownAid = anonIdOf(shown.res) ?? "";
    await eventually(async () => {
      const rs = await sql()`select 1 from exposures where flag = 'register-cta' and subject = ${shownAid}`;
      return rs.length === 1;
    }, 5000);
    const wrong =
      await sql()`select subject from exposures where flag = 'register-cta' and subject = any(${aids})`;
    expect(wrong).toEqual([]);
  });
});
