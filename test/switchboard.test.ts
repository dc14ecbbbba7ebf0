// The switchboard end to end: switches reach the edge through it and its audit trail records them; with it
// unreachable the site keeps serving and switching through KV, and it takes KV's change over when it is back.
import { env } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../shared/switchboard/object.ts";
import { admin, eventually, site } from "./helpers.ts";

const board = () => {
  const ns = env.SWITCHBOARD as DurableObjectNamespace<Switchboard>;
  return ns.get(ns.idFromName("switches"));
};
type Audit = { entries: { action: string; actor: string }[] };

/** Until a page the edge serves is (or is not) read-only: the edge's isolate and location copies have caught up. */
const edgeShows = (on: boolean) =>
  eventually(async () => (await site(`/?sb=${crypto.randomUUID()}`)).res.headers.has("x-read-only") === on);

afterAll(async () => {
  await admin("PUT", "/_admin/readonly", { on: false });
  await edgeShows(false);
});

describe("the switchboard", () => {
  it("carries a change to the edge and audits it under who made it", async () => {
    const on = await admin("PUT", "/_admin/readonly", { on: true, reason: "Switchboard test" });
    expect(on.res.status, on.text).toBe(200);
    expect(on.json).not.toHaveProperty("warning");
    await edgeShows(true);
    // Reloaded after its memory time: from the object, or the location's copy of it.
    await eventually(async () =>
      ["object", "location"].includes(
        (await admin("GET", "/_admin/readonly")).res.headers.get("x-switch-source") ?? "",
      ),
    );
    const audit = (await admin("GET", "/_admin/readonly/audit?limit=1")).json as Audit;
    expect(audit.entries[0]).toMatchObject({ action: "readonly.on", actor: "test" });
    await admin("PUT", "/_admin/readonly", { on: false });
    await edgeShows(false);
  });

  it("takes every purge made at an edge, for the other isolates to drop their hot copies", async () => {
    const tag = `sb-purge-${crypto.randomUUID()}`;
    const purged = await admin("POST", "/_admin/purge", { tags: [tag] });
    expect(purged.res.status, purged.text).toBe(200);
    expect((await board().read()).purges?.at(-1)?.tags).toEqual([tag]);
  });

  it("unreachable: pages are still served, a switch goes through KV, and the object takes it over after", async () => {
    await board().testOutage(60_000);
    try {
      expect((await site("/")).res.status).toBe(200);
      expect((await site(`/events/edge-summit-2027?sb=${crypto.randomUUID()}`)).res.status).toBe(200);
      const on = await admin("PUT", "/_admin/readonly", { on: true, reason: "Switched while unreachable" });
      expect(on.res.status, on.text).toBe(200);
      expect(on.json).toMatchObject({ on: true, warning: expect.stringMatching(/KV only/) });
      await edgeShows(true);
      // The next time this isolate reloads its copy, it comes from KV.
      await eventually(
        async () => (await admin("GET", "/_admin/readonly")).res.headers.get("x-switch-source") === "kv",
      );
      expect((await admin("GET", "/_admin/readonly/audit")).res.status).toBe(503);
    } finally {
      await board().testOutage(0);
    }
    // The cron's kick: the object finds KV's copy newer than its own and takes it, audited.
    expect((await board().kick()).readOnly.state).toMatchObject({
      on: true,
      reason: "Switched while unreachable",
    });
    const audit = (await admin("GET", "/_admin/readonly/audit?limit=1")).json as Audit;
    expect(audit.entries[0]).toMatchObject({ action: "readonly.adopt", actor: "test" });
    const off = await admin("PUT", "/_admin/readonly", { on: false });
    expect(off.json).not.toHaveProperty("warning");
    await edgeShows(false);
  });
});
