import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readWorkers } from "./configs.ts";
import { provision } from "./provision.ts";
import { kvTitle, needs, siteName } from "./resources.ts";
import { testProject } from "./test-project.ts";

describe("npm run provision", () => {
  const p = testProject();
  afterAll(() => p.cleanup());
  const configText = () => readFileSync(join(p.root, "wrangler.toml"), "utf8");

  it("lists, then creates what the staging configs bind, and writes the ids into every config", async () => {
    // The fake started from PATH, as the real wrangler is; the other tests answer it in-process.
    await provision(["--env", "staging"], p.ctx({}, { viaPath: true }));
    const workers = readWorkers(p.root, "staging");
    const need = needs(workers);
    const account = p.fake.account();
    const title = kvTitle(siteName(workers.map((w) => w.name)), "CONFIG", "staging");
    const kv = account.kv.find((n) => n.title === title);
    expect(kv).toBeDefined();
    // All three Workers bind the one namespace of their environment.
    for (const w of workers) expect(w.kv).toEqual([{ binding: "CONFIG", id: kv?.id }]);
    expect(account.queues.map((q) => q.queue_name).sort()).toEqual([...need.queues].sort());
    expect(need.queues.some((q) => q.includes("dlq"))).toBe(true);
    const bucket = account.buckets.find((b) => b.name === need.buckets[0]?.name);
    const cors = JSON.parse(readFileSync(join(p.root, "workers/origin/r2-cors.staging.json"), "utf8")) as {
      rules: unknown[];
    };
    expect(bucket?.cors).toEqual(cors.rules);
    expect(workers.find((w) => w.role === "origin")?.vars.R2_S3_ENDPOINT).toBe(
      "https://acc123.r2.cloudflarestorage.com",
    );
    // Lists come before creates.
    const cmds = p.commands();
    expect(cmds.indexOf("kv namespace list")).toBeLessThan(
      cmds.findIndex((c) => c.startsWith("kv namespace create")),
    );
    expect(cmds.findIndex((c) => c.startsWith("queues list"))).toBeLessThan(
      cmds.findIndex((c) => c.startsWith("queues create")),
    );
    expect(cmds.indexOf("r2 bucket list")).toBeLessThan(
      cmds.findIndex((c) => c.startsWith("r2 bucket create")),
    );
    expect(p.output.join("\n")).toMatch(/KV namespace\s+staging-\S+-CONFIG \(CONFIG\)\s+created/);
  });

  it("is idempotent: a second run creates nothing and leaves the configs as they were", async () => {
    const before = configText();
    const from = p.fake.calls().length;
    await provision(["--env", "staging"], p.ctx());
    expect(p.commands(from).filter((c) => / create /.test(c))).toEqual([]);
    expect(configText()).toBe(before);
  });

  it("gives production its own resources", async () => {
    await provision(["--env", "production"], p.ctx());
    const [staging, production] = [readWorkers(p.root, "staging"), readWorkers(p.root, "production")];
    expect(production[0]?.kv[0]?.id).not.toBe(staging[0]?.kv[0]?.id);
    const buckets = p.fake.account().buckets.map((b) => b.name);
    expect(buckets).toEqual(
      expect.arrayContaining([...needs(staging).buckets, ...needs(production).buckets].map((b) => b.name)),
    );
    expect(new Set(buckets).size).toBe(2);
  });

  it("refuses an environment the configs do not define, and a wrangler that is not logged in", async () => {
    await expect(provision(["--env", "prod"], p.ctx())).rejects.toThrow('unknown environment "prod"');
    const out = testProject({ loggedIn: false });
    try {
      await expect(provision([], out.ctx())).rejects.toThrow(/not logged in.*CLOUDFLARE_API_TOKEN/);
      expect(out.commands()).toEqual(["whoami --json"]);
    } finally {
      out.cleanup();
    }
  });
});
