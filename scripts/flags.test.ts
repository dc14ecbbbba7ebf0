import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { flagsAdmin } from "../shared/flagstore/index.ts";
import { memoryFlagStore, memoryKV } from "../shared/testing/index.ts";
import { run } from "./flags.ts";
import { parseFlagsArgs, parsePercent, parseVariants } from "./flags-args.ts";
import { type AdminTarget, URL_ENV } from "./lib/admin-client.ts";

const req = (...argv: string[]) => parseFlagsArgs(argv, { USER: "ada" }).request;

describe("parseFlagsArgs", () => {
  it("maps on/off without conditions to the on/off endpoints", () => {
    expect(req("on", "new-talk-page")).toEqual({
      method: "POST",
      path: "/_admin/flags/new-talk-page/on",
      view: "change",
    });
    expect(req("off", "checkout:new-button")).toMatchObject({
      method: "POST",
      path: "/_admin/flags/checkout%3Anew-button/off",
    });
  });

  it("maps on with conditions to 'on for exactly these' (selective, includes replaced)", () => {
    expect(req("on", "new-talk-page", "--tag", "staff")).toEqual({
      method: "PATCH",
      path: "/_admin/flags/new-talk-page",
      body: { state: "selective", replaceIncludes: true, tags: ["staff"] },
      view: "change",
    });
    expect(
      req(
        "on",
        "k",
        "--user",
        "12,13",
        "--user",
        "14",
        "--tenant",
        "ev1",
        "--country",
        "gb",
        "--ip",
        "10.0.0.0/8",
      ).body,
    ).toEqual({
      state: "selective",
      replaceIncludes: true,
      users: ["12", "13", "14"],
      tenants: ["ev1"],
      countries: ["GB"],
      ips: ["10.0.0.0/8"],
    });
    expect(req("on", "k", "--percent", "25%").body).toEqual({
      state: "selective",
      replaceIncludes: true,
      percentage: 25,
    });
    // Everyone except bots: a 100 % include, since an "on" flag skips its conditions.
    expect(req("on", "k", "--exclude-tag", "bot").body).toEqual({
      state: "selective",
      replaceIncludes: true,
      percentage: 100,
      exclude: { tags: ["bot"] },
    });
  });

  it("maps set options to a PATCH that keeps everything else", () => {
    expect(req("set", "hero", "--variants", "control:50,bold:50", "--cache-key").body).toEqual({
      variants: [
        { name: "control", weight: 50 },
        { name: "bold", weight: 50 },
      ],
      cacheKey: true,
    });
    expect(req("set", "hero", "--percent", "25", "--stickiness", "tenantId").body).toEqual({
      percentage: 25,
      stickiness: "tenantId",
    });
    expect(req("set", "hero", "--exclude-tag", "x", "--no-cache-key", "--description", "").body).toEqual({
      exclude: { tags: ["x"] },
      cacheKey: false,
      description: null,
    });
    expect(req("set", "hero", "--variants", "")).toMatchObject({ body: { variants: null } });
    expect(req("set", "hero", "--json", "doc.json")).toEqual({
      method: "PUT",
      path: "/_admin/flags/hero",
      jsonFile: "doc.json",
      view: "change",
    });
  });

  it("maps the other commands", () => {
    expect(req("list")).toMatchObject({ method: "GET", path: "/_admin/flags" });
    expect(req("show", "hero")).toMatchObject({ method: "GET", path: "/_admin/flags/hero", view: "flag" });
    expect(req("delete", "hero")).toMatchObject({ method: "DELETE", path: "/_admin/flags/hero" });
    expect(req("audit")).toMatchObject({ path: "/_admin/flags/_audit?limit=20" });
    expect(req("audit", "hero", "--limit", "5")).toMatchObject({
      path: "/_admin/flags/_audit?limit=5&key=hero",
    });
    expect(req("segment", "staff", "--tag", "staff", "--country", "GB")).toMatchObject({
      method: "PUT",
      path: "/_admin/flags/_segments/staff",
      body: {
        conditions: [
          { type: "tags", tags: ["staff"] },
          { type: "country", countries: ["GB"] },
        ],
      },
    });
    expect(req("publish")).toMatchObject({ method: "POST", path: "/_admin/flags/_publish" });
    expect(req("rename", "old-name", "Checkout.New")).toEqual({
      method: "POST",
      path: "/_admin/flags/old-name/rename",
      body: { to: "Checkout.New" },
      view: "change",
    });
    expect(req("import", "u.json", "--environment", "production")).toEqual({
      method: "POST",
      path: "/_admin/flags/_import",
      unleash: { file: "u.json", dryRun: false, environment: "production" },
      view: "import",
    });
    expect(parseFlagsArgs(["list"], { USER: "ada" }).actor).toBe("ada (cli)");
    expect(parseFlagsArgs(["list", "--actor", "ops"], {}).actor).toBe("ops");
    expect(parseFlagsArgs(["list"], { [URL_ENV]: "https://events.example.com" }).flags.url).toBe(
      "https://events.example.com",
    );
    expect(
      parseFlagsArgs(["list", "--url", "http://127.0.0.1:9"], { [URL_ENV]: "https://x" }).flags.url,
    ).toBe("http://127.0.0.1:9");
  });

  it("refuses bad command lines with a usage message", () => {
    for (const argv of [
      [],
      ["fly"],
      ["on"],
      ["on", "a", "b"],
      ["set", "k"],
      ["on", "k", "--bogus"],
      ["segment", "s"],
      ["rename", "a"],
    ]) {
      expect(() => parseFlagsArgs(argv, {}), argv.join(" ")).toThrow(/usage|needs/);
    }
    expect(() => parsePercent("120")).toThrow("--percent must be a number 0..100");
    expect(() => parseVariants("a:x")).toThrow("--variants must look like control:50,bold:50");
    expect(parseVariants("a,b")).toEqual([
      { name: "a", weight: 1 },
      { name: "b", weight: 1 },
    ]);
  });
});

describe("flags CLI against the admin API", () => {
  const target: AdminTarget = {
    url: "http://127.0.0.1:8787",
    token: "t",
    remote: false,
    tokenFrom: "--token",
  };
  afterEach(() => vi.restoreAllMocks());

  function site() {
    const store = memoryFlagStore();
    const kv = memoryKV();
    const app = new Hono().route(
      "/",
      flagsAdmin(
        () => ({ store, kv }),
        () => "t",
      ),
    );
    const fetchImpl = ((url: string, init?: RequestInit) => app.request(url, init)) as typeof fetch;
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
    const cli = (...argv: string[]) => {
      const { request, actor } = parseFlagsArgs(argv, { USER: "ada" });
      return run(target, request, actor, fetchImpl);
    };
    return { store, cli, out };
  }

  it("switches a flag on for staff, rolls out 25 %, lists and audits it", async () => {
    const { store, cli, out } = site();
    await cli("on", "new-talk-page", "--tag", "staff");
    expect(out.join("\n")).toMatch(/✓ new-talk-page: selective tags staff; snapshot [0-9a-f]{12}/);
    await cli("set", "new-talk-page", "--percent", "25");
    expect(store.data.get("new-talk-page")?.doc).toEqual({
      state: "selective",
      conditions: [
        { type: "tags", tags: ["staff"] },
        { type: "percentage", percentage: 25 },
      ],
    });
    out.length = 0;
    await cli("list");
    expect(out.join("\n")).toMatch(
      /in sync[\s\S]*KEY +STATE +TARGETING[\s\S]*new-talk-page +selective +tags staff \| 25%/,
    );
    out.length = 0;
    await cli("audit", "new-talk-page");
    expect(out.join("\n")).toMatch(
      /ada \(cli\) +edited: selective tags staff \| 25%[\s\S]*created: selective tags staff/,
    );
  });

  it("replaces a document from a JSON file and shows the server's 400 message verbatim", async () => {
    const { cli } = site();
    const dir = await mkdtemp(join(tmpdir(), "flags-cli-"));
    const file = join(dir, "doc.json");
    await writeFile(file, JSON.stringify({ state: "on", variants: [{ name: "bold", weight: 0 }] }));
    await expect(cli("set", "hero", "--json", file)).rejects.toThrow(
      "400: hero.variants weights must not all be 0",
    );
    await expect(cli("set", "hero", "--country", "Britain")).rejects.toThrow(/^400: hero\.conditions\[0\]/);
    await expect(cli("show", "nothing")).rejects.toThrow('404: no flag "nothing"');
  });

  it("imports an Unleash file through the admin API: validated, audited, published once, with a report", async () => {
    const { store, cli, out } = site();
    const dir = await mkdtemp(join(tmpdir(), "flags-cli-"));
    const file = join(dir, "unleash.json");
    await writeFile(
      file,
      JSON.stringify({
        version: 2,
        features: [
          {
            name: "Lanyrd.Conference",
            enabled: true,
            strategies: [
              { name: "remoteAddress", parameters: { IPs: "10.0.0.0/8, 10.invalid" } },
              { name: "default", segments: [7] },
            ],
            variants: [{ name: "blue", weight: 1, payload: { type: "string", value: "b" } }],
          },
        ],
        segments: [
          {
            id: 7,
            name: "jsconf",
            constraints: [{ contextName: "event", operator: "IN", values: ["jsconf"] }],
          },
        ],
      }),
    );
    await cli("import", file, "--dry-run");
    expect(out.join("\n")).toMatch(
      /1 flags, 1 segments[\s\S]*! flag Lanyrd.Conference: strategy 1 \(remoteAddress\): remoteAddress "10.invalid" is not an IP address or CIDR[\s\S]*dry run: nothing was written/,
    );
    expect(store.data.size).toBe(0);
    out.length = 0;
    await cli("import", file);
    expect(out.join("\n")).toMatch(/imported: 2 created, 0 updated, 0 unchanged; snapshot [0-9a-f]{12}/);
    expect(store.data.get("segment:jsconf")?.doc).toEqual({
      conditions: [{ type: "constraint", field: "prop:event", operator: "IN", values: ["jsconf"] }],
    });
    expect(store.data.get("Lanyrd.Conference")?.doc).toMatchObject({
      state: "selective",
      conditions: [
        { type: "ip", cidrs: ["10.0.0.0/8"] },
        { type: "segment", segment: "jsconf" },
      ],
    });
    expect((await store.audit(undefined, 10)).map((e) => e.key).sort()).toEqual([
      "Lanyrd.Conference",
      "segment:jsconf",
    ]);
    out.length = 0;
    await cli("import", file);
    expect(out.join("\n")).toMatch(/imported: 0 created, 0 updated, 2 unchanged/);
    await writeFile(file, JSON.stringify({ nothing: true }));
    await expect(cli("import", file)).rejects.toThrow(/not an Unleash file/);
  });

  it("says when the token is refused", async () => {
    const { cli } = site();
    target.token = "wrong";
    try {
      await expect(cli("list")).rejects.toThrow(/refused the admin token \(401\)/);
    } finally {
      target.token = "t";
    }
  });
});
