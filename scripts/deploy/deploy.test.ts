import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWorkers } from "./configs.ts";
import { deploy } from "./deploy.ts";
import { provision } from "./provision.ts";
import { rollback } from "./rollback.ts";
import { secrets } from "./secrets.ts";
import { cloneProject, SECRET_VALUES, type TestProject, testProject } from "./test-project.ts";

const DIRECT = "postgres://app:pw@ep-1.eu-central-1.aws.neon.tech/app";
// One account provisioned for staging, then one with its secrets set too; each test group works on a copy.
const fresh = testProject();
const provisioned = testProject();
let ready: TestProject;
beforeAll(async () => {
  await provision(["--env", "staging"], provisioned.ctx());
  ready = cloneProject(provisioned);
  await secrets(["--env", "staging"], ready.ctx(SECRET_VALUES));
});
afterAll(() => {
  for (const p of [fresh, provisioned, ready]) p.cleanup();
});
/** The Worker a wrangler call targets, by the config it names (`-c`). */
const roleOf = (p: TestProject, env: string, cmd: string) =>
  readWorkers(p.root, env).find((w) => cmd.includes(`-c ${w.config} `))?.role;

describe("npm run deploy, from a fresh account", () => {
  let p: TestProject;
  beforeAll(() => {
    p = cloneProject(ready);
  });
  afterAll(() => p.cleanup());

  it("--dry-run bundles all three, prints sizes and the plan, and changes nothing", async () => {
    const from = p.fake.calls().length;
    await deploy(["--env", "staging", "--dry-run"], p.ctx({}, { viaPath: true }), p.checks);
    const cmds = p.commands(from);
    expect(cmds.every((c) => c.startsWith("deploy --dry-run"))).toBe(true);
    expect(cmds.map((c) => roleOf(p, "staging", c)).sort()).toEqual(["edge", "jobs", "origin"]);
    const out = p.output.join("\n");
    expect(out).toMatch(/edge\s+[\d.]+ KiB raw\s+[\d.]+ KiB gzip {2}budget 50 KiB/);
    expect(out).toContain("migrations: DIRECT_DATABASE_URL not set");
    expect(out).toMatch(
      /deploy \S+-origin-staging: wrangler deploy -c workers\/origin\/wrangler.toml --env staging/,
    );
    expect(p.checked).toEqual(["typecheck", "safety"]);
  });

  it("checks, migrates the direct URL, then deploys callees before callers and prints the URLs", async () => {
    p.checked.length = 0;
    const from = p.fake.calls().length;
    // From PATH, as the real wrangler: the fake as a process (the rest of the file answers it in-process).
    await deploy(["--env", "staging"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }, { viaPath: true }), p.checks);
    expect(p.checked).toEqual(["typecheck", "safety", `migrate ${DIRECT}`]);
    const deploys = p.commands(from).filter((c) => c.startsWith("deploy -c"));
    // jobs binds the edge, the edge binds the origin: origin first, jobs last.
    expect(deploys.map((c) => roleOf(p, "staging", c))).toEqual(["origin", "edge", "jobs"]);
    const edge = readWorkers(p.root, "staging").find((w) => w.role === "edge");
    expect(p.output.join("\n")).toContain(`https://${edge?.name}.example.workers.dev`);
    expect(p.output.join("\n")).toContain(
      "answers on workers.dev only: fine for staging, but the edge cache is off",
    );
  });

  it("canary: uploads every Worker before moving traffic, splits N %, moves it, promotes", async () => {
    const from = p.fake.calls().length;
    await deploy(["--env", "staging", "--gradual", "10"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks);
    const cmds = p.commands(from).filter((c) => c.startsWith("versions "));
    expect(cmds.map((c) => c.split(" ")[1])).toEqual([
      "upload",
      "upload",
      "upload",
      "deploy",
      "deploy",
      "deploy",
    ]);
    const split = () =>
      readWorkers(p.root, "staging").map((w) =>
        p.fake
          .account()
          .workers[w.name]?.deployments.at(-1)
          ?.versions.map((v) => v.percentage),
      );
    expect(split()).toEqual([
      [10, 90],
      [10, 90],
      [10, 90],
    ]);
    await deploy(["--env", "staging", "--gradual", "50"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks);
    expect(split()).toEqual([
      [50, 50],
      [50, 50],
      [50, 50],
    ]);
    await expect(
      deploy(["--env", "staging"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks),
    ).rejects.toThrow("is running a canary: --promote or --abort it");
    await deploy(["--env", "staging", "--promote"], p.ctx(), p.checks);
    for (const w of readWorkers(p.root, "staging")) {
      const worker = p.fake.account().workers[w.name];
      expect(worker?.deployments.at(-1)?.versions).toEqual([
        { version_id: worker?.versions.at(-1)?.id, percentage: 100 },
      ]);
    }
  });

  it("abort puts the previous versions back, callers first", async () => {
    await deploy(["--env", "staging", "--gradual", "10"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks);
    const stable = readWorkers(p.root, "staging").map(
      (w) => p.fake.account().workers[w.name]?.deployments.at(-1)?.versions[1]?.version_id,
    );
    const from = p.fake.calls().length;
    await deploy(["--env", "staging", "--abort"], p.ctx(), p.checks);
    const moves = p.commands(from).filter((c) => c.startsWith("versions deploy"));
    expect(moves.map((c) => roleOf(p, "staging", c))).toEqual(["jobs", "edge", "origin"]);
    const now = readWorkers(p.root, "staging").map(
      (w) => p.fake.account().workers[w.name]?.deployments.at(-1)?.versions[0]?.version_id,
    );
    expect(now).toEqual(stable);
  });

  it("rollback goes back to the version before the one serving, per Worker, callers first", async () => {
    // After the aborted canary the promoted version serves; the one before it is the first full deploy's.
    const serving = readWorkers(p.root, "staging").map(
      (w) => p.fake.account().workers[w.name]?.deployments.at(-1)?.versions,
    );
    const before = readWorkers(p.root, "staging").map((w) => {
      const history = p.fake.account().workers[w.name]?.deployments ?? [];
      const prior = history.filter((d) => d.triggered_by === "upload").at(-1);
      return prior?.versions;
    });
    const from = p.fake.calls().length;
    await rollback(["--env", "staging", "--message", "bad release"], p.ctx());
    const calls = p.commands(from).filter((c) => c.startsWith("rollback"));
    expect(calls.map((c) => roleOf(p, "staging", c))).toEqual(["jobs", "edge", "origin"]);
    const after = readWorkers(p.root, "staging").map(
      (w) => p.fake.account().workers[w.name]?.deployments.at(-1)?.versions,
    );
    expect(after).toEqual(before);
    expect(after).not.toEqual(serving);
    expect(p.output.join("\n")).toContain("The database is not rolled back");
  });

  it("after a rollback, secrets wait for a deploy: refused before any Worker changes", async () => {
    const from = p.fake.calls().length;
    await expect(
      secrets(["rotate", "EDGE_SECRET", "--env", "staging", "--grace", "0"], p.ctx()),
    ).rejects.toThrow(
      /does not serve its newest version[\s\S]*after a rollback deploy again \(npm run deploy -- --env staging\)/,
    );
    expect(p.commands(from).filter((c) => c.startsWith("secret bulk"))).toEqual([]);
  });
});

describe("npm run deploy refuses", () => {
  it("a production edge without a route or custom domain, saying why, before touching anything", async () => {
    await expect(deploy(["--env", "production", "--dry-run"], fresh.ctx(), fresh.checks)).rejects.toThrow(
      /edge-production has no route or custom domain[\s\S]*workers\.dev[\s\S]*Cache API does nothing/,
    );
    expect(fresh.fake.calls()).toEqual([]);
  });

  it("configs that disagree (a producer sending to another environment's queue), before touching anything", async () => {
    const p = cloneProject(fresh);
    try {
      p.edit("workers/origin/wrangler.toml", (t) =>
        t.replace(/queue = "([a-z0-9-]+)-jobs-staging"/, 'queue = "$1-jobs"'),
      );
      const from = p.fake.calls().length;
      await expect(deploy(["--env", "staging", "--dry-run"], p.ctx(), p.checks)).rejects.toThrow(
        /the configs disagree: queue of producer binding JOBS differs[\s\S]*is produced but no Worker consumes it/,
      );
      expect(p.commands(from)).toEqual([]);
    } finally {
      p.cleanup();
    }
  });

  it("placeholder KV ids (not provisioned), and Workers without their secrets, naming the command for each", async () => {
    await expect(deploy(["--env", "staging"], fresh.ctx(), fresh.checks)).rejects.toThrow(
      /no KV namespace id for CONFIG: npm run provision -- --env staging/,
    );
    const p = cloneProject(provisioned);
    try {
      await expect(
        deploy(["--env", "staging"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks),
      ).rejects.toThrow(/secrets not set:[\s\S]*DATABASE_URL[\s\S]*npm run secrets -- --env staging/);
    } finally {
      p.cleanup();
    }
  });

  it("migrations without the direct URL, or through Neon's pooler", async () => {
    const p = cloneProject(ready);
    try {
      const from = p.fake.calls().length;
      await expect(deploy(["--env", "staging"], p.ctx(), p.checks)).rejects.toThrow(
        "DIRECT_DATABASE_URL is not set",
      );
      const pooled = { DIRECT_DATABASE_URL: SECRET_VALUES.DATABASE_URL ?? "" };
      await expect(deploy(["--env", "staging"], p.ctx(pooled), p.checks)).rejects.toThrow(
        "points at Neon's pooler",
      );
      expect(p.commands(from).filter((c) => c.startsWith("deploy -c"))).toEqual([]);
    } finally {
      p.cleanup();
    }
  });

  it("a cycle of service bindings, with the way out; once every Worker exists, the cycle only warns", async () => {
    const p = cloneProject(ready);
    try {
      const jobs = readWorkers(p.root, "staging").find((w) => w.role === "jobs")?.name ?? "";
      const withCycle = (t: string) =>
        t.replace(
          "[[env.staging.r2_buckets]]",
          `[[env.staging.services]]\nbinding = "JOBS_RPC"\nservice = "${jobs}"\n\n[[env.staging.r2_buckets]]`,
        );
      // The Workers exist only as drafts made by their secrets, except jobs: it has none of its own yet.
      const { [jobs]: _, ...others } = p.fake.account().workers;
      p.fake.setAccount((a) => {
        a.workers = others;
      });
      p.edit("workers/origin/wrangler.toml", withCycle);
      const from = p.fake.calls().length;
      await expect(
        deploy(["--env", "staging"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks),
      ).rejects.toThrow(/cycle: (\w+ → ){3}\w+\. [\s\S]*deploy once without one binding/);
      expect(p.commands(from).filter((c) => c.startsWith("deploy -c"))).toEqual([]);
      // The way out: without the binding every Worker gets created; with it back, the cycle is deployable.
      p.edit("workers/origin/wrangler.toml", (t) => t.replace(/\[\[env\.staging\.services\]\][^[]*/, ""));
      await secrets(["--env", "staging"], p.ctx(SECRET_VALUES));
      await deploy(["--env", "staging"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks);
      p.edit("workers/origin/wrangler.toml", withCycle);
      await deploy(["--env", "staging"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks);
      expect(p.output.join("\n")).toMatch(
        /service bindings form a cycle \(.*\); all of its Workers exist already/,
      );
    } finally {
      p.cleanup();
    }
  });
});

describe("a version carrying a Durable Object migration", () => {
  it("cannot go out as a canary: the deploy says to deploy in full, and moves no traffic", async () => {
    const p = cloneProject(ready);
    await deploy(["--env", "staging"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks);
    const origin = readWorkers(p.root, "staging").find((w) => w.role === "origin")?.name ?? "";
    // The switchboard's class came with the first (full) deploy.
    expect(p.fake.account().workers[origin]?.migration_tag).toBe("v1");
    p.edit("workers/origin/wrangler.toml", (t) =>
      t.replace(
        "[[env.staging.queues.producers]]",
        '[[migrations]]\ntag = "v2"\nnew_sqlite_classes = ["Counter"]\n\n[[env.staging.durable_objects.bindings]]\nname = "COUNTER"\nclass_name = "Counter"\n\n[[env.staging.queues.producers]]',
      ),
    );
    const from = p.fake.calls().length;
    await expect(
      deploy(["--env", "staging", "--gradual", "10"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks),
    ).rejects.toThrow(
      /carries a Durable Object migration \(tag v2\)[\s\S]*must deploy in full: npm run deploy -- --env staging \(without --gradual\)/,
    );
    expect(p.commands(from).filter((c) => c.startsWith("versions deploy"))).toEqual([]);
    // In full it goes out, migration and all.
    await deploy(["--env", "staging"], p.ctx({ DIRECT_DATABASE_URL: DIRECT }), p.checks);
    expect(p.fake.account().workers[origin]?.migration_tag).toBe("v2");
    p.cleanup();
  });
});
