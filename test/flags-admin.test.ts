// Managing flags — snapshot versions, validation, audit, trust boundary, propagation time — end to end.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FLAGS_HEADER } from "../shared/flags/index.ts";
import { EDGE_CONTEXT_HEADER, type EdgeContext, signEdgeContext, signValue } from "../shared/trust/index.ts";
import {
  ADA,
  type Audit,
  BOB,
  CLI,
  change,
  cleanFlags,
  cli,
  edgeVersion,
  layoutOf,
  publishedVersion,
  TALK,
} from "./flags-helpers.ts";
import { admin, eventually, SITE, site } from "./helpers.ts";

cleanFlags();

describe("managing flags", () => {
  it("stamps the snapshot version on every response and changes it with the rules", async () => {
    // Publishing is idempotent; it also makes sure a fresh stack has a version to compare with.
    const published = await admin("POST", "/_admin/flags/_publish");
    expect(published.res.status, published.text).toBe(200);
    const before = (published.json as { version: string }).version;
    expect(await publishedVersion()).toBe(before);
    await eventually(async () => (await edgeVersion()) === before, 5000, 50);
    const page = await site(`/?t=${crypto.randomUUID()}`);
    expect(page.res.headers.get("x-flags-version")).toBe(before);

    const key = `test-version-${crypto.randomUUID().slice(0, 8)}`;
    const changed = await change("POST", key, undefined, "/on");
    expect(changed.version).toMatch(/^[0-9a-f]{12}$/);
    expect(changed.version).not.toBe(before);
    expect(await publishedVersion()).toBe(changed.version);
    await eventually(async () => (await edgeVersion()) === changed.version, 5000, 50);
    // Cached anonymous pages carry the version that served them too.
    const cached = await site(`/?t=${crypto.randomUUID()}`);
    expect(cached.res.headers.get("x-flags-version")).toBe(changed.version);

    // A content hash: the same rules give the same version back.
    const removed = await change("DELETE", key);
    expect(removed.version).toBe(before);
  });

  it("refuses invalid rules with a 400 naming the problem, publishing nothing", async () => {
    const key = `test-invalid-${crypto.randomUUID().slice(0, 8)}`;
    const before = await publishedVersion();

    const bad = await admin("PUT", `/_admin/flags/${key}`, {
      state: "selective",
      conditions: [{ type: "percentage", percentage: 150 }],
    });
    expect(bad.res.status).toBe(400);
    expect(bad.text).toMatch(/conditions\[0\]\.percentage/);
    expect(bad.text).not.toMatch(/\bat .*\.(ts|js):\d+/);

    const badPatch = await admin("PATCH", `/_admin/flags/${key}`, { percentage: 150 });
    expect(badPatch.res.status).toBe(400);
    expect(badPatch.text).toMatch(/percentage/);

    const unknownField = await admin("PATCH", `/_admin/flags/${key}`, { precentage: 20 });
    expect(unknownField.res.status).toBe(400);
    expect(unknownField.text).toMatch(/precentage/);

    // Checked against the whole snapshot: a segment nobody defined.
    const noSegment = await admin("PUT", `/_admin/flags/${key}`, {
      state: "selective",
      conditions: [{ type: "segment", segment: "no-such-segment" }],
    });
    expect(noSegment.res.status).toBe(400);
    expect(noSegment.text).toMatch(/no-such-segment/);

    expect(await publishedVersion()).toBe(before);
    expect((await admin("GET", `/_admin/flags/${key}`)).res.status).toBe(404);
    const audit = await admin("GET", `/_admin/flags/_audit?key=${key}`);
    expect((audit.json as Audit).entries).toEqual([]);
  });

  it("keeps an audit trail of who changed what", async () => {
    const key = `test-audit-${crypto.randomUUID().slice(0, 8)}`;
    const created = await cli(CLI.onForTags(key, ["staff"]));
    await cli(CLI.off(key));
    await change("DELETE", key);

    const audit = await admin("GET", `/_admin/flags/_audit?key=${key}`);
    expect(audit.res.status, audit.text).toBe(200);
    expect(audit.res.headers.get("cache-control")).toBe("no-store");
    const entries = (audit.json as Audit).entries;
    // Newest first; every entry names the actor (the X-Actor the admin helper sends).
    expect(entries.map((e) => [e.actor, e.key])).toEqual([
      ["test", key],
      ["test", key],
      ["test", key],
    ]);
    const [deleted, off, made] = entries;
    expect(made?.before).toBeNull();
    expect(made?.after).toEqual(created.doc);
    expect(off?.before).toEqual(created.doc);
    expect(off?.after).toMatchObject({ state: "off", conditions: [{ type: "tags", tags: ["staff"] }] });
    expect(deleted?.before).toEqual(off?.after);
    expect(deleted?.after).toBeNull();
    expect(Date.parse(made?.at ?? "")).toBeLessThanOrEqual(Date.parse(deleted?.at ?? ""));
  });

  it("ignores identity and flags a client tries to hand the origin itself", async () => {
    const changed = await cli(CLI.onForTags("new-talk-page", ["staff"]));
    await eventually(async () => (await edgeVersion()) === changed.version, 5000, 50);
    const adaUser = { id: 1, tags: ["staff"] };
    const t = Math.floor(Date.now() / 1000);
    const claim: EdgeContext = {
      user: adaUser,
      anonymousId: null,
      flags: `v=${changed.version};t=${t};new-talk-page=1.T`,
      flagsVersion: changed.version,
      readOnly: false,
    };
    const forged = await signEdgeContext(claim, "not-the-edge-secret");
    const forgedHeaders = {
      [EDGE_CONTEXT_HEADER]: forged,
      [FLAGS_HEADER]: `v=${changed.version};t=${t};new-talk-page=1.T;sig=forged`,
    };

    // Through the edge: the headers are replaced, so bob stays bob and anonymous stays anonymous.
    const bob = await site(TALK, { headers: { ...BOB, ...forgedHeaders } });
    expect(layoutOf(bob.body)).toBe("classic");
    const anon = await site(`${TALK}?t=${crypto.randomUUID()}`, { headers: forgedHeaders });
    expect(layoutOf(anon.body)).toBe("classic");
    expect(anon.body).toContain("Sign in");

    // Straight at the origin (the service binding): only a fresh context signed with the secret counts.
    const origin = async (value: string) => {
      const res = await env.ORIGIN.fetch(`${SITE}${TALK}`, { headers: { [EDGE_CONTEXT_HEADER]: value } });
      return { status: res.status, body: await res.text(), version: res.headers.get("x-flags-version") };
    };
    const genuine = await origin(await signEdgeContext(claim, env.EDGE_SECRET));
    expect(genuine.status).toBe(200);
    expect(layoutOf(genuine.body)).toBe("new");
    expect(genuine.body).toContain("My account");

    const notSigned = await origin(forged);
    expect(notSigned.status).toBe(200);
    expect(layoutOf(notSigned.body)).toBe("classic");
    expect(notSigned.body).toContain("Sign in");
    expect(notSigned.version).toBe("none");

    const replayed = await origin(await signValue(claim, env.EDGE_SECRET, Date.now() - 60_000));
    expect(layoutOf(replayed.body)).toBe("classic");
    expect(replayed.body).toContain("Sign in");
  });

  it("a change reaches the edge within seconds (switch memory and the location copy, plus margin) every time", async () => {
    await eventually(async () => layoutOf((await site(TALK, { headers: ADA })).body) === "classic", 5000, 50);
    for (let i = 0; i < 4; i++) {
      const want = i % 2 === 0 ? "new" : "classic";
      await cli(want === "new" ? CLI.onForTags("new-talk-page", ["staff"]) : CLI.off("new-talk-page"));
      // A deadline, not a speed check: the propagation figures live in bench/.
      await eventually(async () => layoutOf((await site(TALK, { headers: ADA })).body) === want, 5000, 50);
    }
  });
});
