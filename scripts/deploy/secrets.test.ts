import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWorkers } from "./configs.ts";
import { provision } from "./provision.ts";
import { secrets } from "./secrets.ts";
import { SECRET_VALUES, testProject } from "./test-project.ts";

describe("npm run secrets", () => {
  const p = testProject();
  let names: Record<string, string> = {};
  const secretsOf = (role: string) => p.fake.account().workers[names[role] ?? ""]?.secrets ?? {};
  beforeAll(async () => {
    names = Object.fromEntries(readWorkers(p.root, "staging").map((w) => [w.role, w.name]));
    await provision(["--env", "staging"], p.ctx());
  });
  afterAll(() => p.cleanup());

  it("refuses a mysql:// DATABASE_URL before any Worker gets a secret", async () => {
    const from = p.fake.calls().length;
    await expect(
      secrets(
        ["--env", "staging"],
        p.ctx({ ...SECRET_VALUES, DATABASE_URL: "mysql://u:p@db.example.com/app" }),
      ),
    ).rejects.toThrow("DATABASE_URL must be a postgres:// URL");
    expect(p.commands(from).filter((c) => c.startsWith("secret bulk"))).toEqual([]);
  });

  it("names what is missing and where to get it when nobody can be asked", async () => {
    const { DATABASE_URL: _, UPSTASH_REDIS_REST_TOKEN: __, ...some } = SECRET_VALUES;
    await expect(secrets(["--env", "staging"], p.ctx(some))).rejects.toThrow(
      /DATABASE_URL \(origin, jobs\): Neon's pooled connection string[\s\S]*UPSTASH_REDIS_REST_TOKEN/,
    );
  });

  it("sets every Worker's secrets, generating the shared ones once and giving each Worker the same value", async () => {
    await secrets(["--env", "staging"], p.ctx(SECRET_VALUES, { viaPath: true }));
    const [edge, origin, jobs] = [secretsOf("edge"), secretsOf("origin"), secretsOf("jobs")];
    for (const w of readWorkers(p.root, "staging"))
      expect(Object.keys(secretsOf(w.role)).sort()).toEqual([...w.secrets].sort());
    expect(edge.EDGE_SECRET).toBe(origin.EDGE_SECRET);
    expect(edge.EDGE_SECRET?.length).toBeGreaterThanOrEqual(32);
    expect(new Set([edge.ADMIN_TOKEN, origin.ADMIN_TOKEN, jobs.ADMIN_TOKEN]).size).toBe(1);
    expect(origin.DATABASE_URL).toBe(SECRET_VALUES.DATABASE_URL);
    // The admin token is shown once (the CLIs need it); the edge secret never is.
    const printed = p.output.join("\n");
    expect(printed).toContain(`ADMIN_TOKEN = ${edge.ADMIN_TOKEN}`);
    expect(printed).not.toContain(String(edge.EDGE_SECRET));
    // One bulk call per Worker: one new version each, not one per secret.
    expect(p.commands().filter((c) => c.startsWith("secret bulk"))).toHaveLength(3);
  });

  it("keeps what is set on a second run, and replaces only what is given", async () => {
    const before = secretsOf("edge");
    const from = p.fake.calls().length;
    await secrets(["--env", "staging"], p.ctx());
    expect(p.commands(from).filter((c) => c.startsWith("secret bulk"))).toEqual([]);
    expect(secretsOf("edge")).toEqual(before);
    await secrets(["--env", "staging"], p.ctx({ DATABASE_URL: "postgres://u:p@new-pooler.example.com/app" }));
    expect(secretsOf("jobs").DATABASE_URL).toBe("postgres://u:p@new-pooler.example.com/app");
    expect(secretsOf("origin").DATABASE_URL).toBe("postgres://u:p@new-pooler.example.com/app");
    expect(secretsOf("edge")).toEqual(before);
  });

  it("asks a person at a terminal for what the environment does not give", async () => {
    const asked: string[] = [];
    const ctx = p.ctx({ DATABASE_URL: SECRET_VALUES.DATABASE_URL ?? "" });
    ctx.ask = async (question) => {
      asked.push(question);
      return SECRET_VALUES[question.split(" ")[0] ?? ""] ?? "";
    };
    await secrets(["--env", "production"], ctx);
    expect(asked.map((q) => q.split(" ")[0])).toEqual(
      Object.keys(SECRET_VALUES).filter((n) => n !== "DATABASE_URL"),
    );
    expect(asked[0]).toContain("(");
  });

  it("rotates EDGE_SECRET through its keyring: the next key everywhere first (callee first), then the swap", async () => {
    const old = secretsOf("edge").EDGE_SECRET;
    const from = p.fake.calls().length;
    await secrets(["rotate", "EDGE_SECRET", "--env", "staging", "--grace", "0"], p.ctx());
    const bulks = p.fake
      .calls()
      .slice(from)
      .filter((c) => c.argv[1] === "bulk");
    const stage = bulks.map((c) => `${c.argv[3]} ${Object.keys(JSON.parse(c.stdin) as object).join("+")}`);
    expect(stage).toEqual([
      "workers/origin/wrangler.toml EDGE_SECRET_NEXT",
      "wrangler.toml EDGE_SECRET_NEXT",
      "workers/origin/wrangler.toml EDGE_SECRET+EDGE_SECRET_NEXT",
      "wrangler.toml EDGE_SECRET+EDGE_SECRET_NEXT",
    ]);
    const [edge, origin] = [secretsOf("edge"), secretsOf("origin")];
    expect(edge.EDGE_SECRET).not.toBe(old);
    expect(edge.EDGE_SECRET).toBe(origin.EDGE_SECRET);
    expect(edge.EDGE_SECRET_NEXT).toBeUndefined();
    expect(origin.EDGE_SECRET_NEXT).toBeUndefined();
  });
});
