// The real local cluster: replication, read-only replica, lag, restart on old data, stale pid, busy port.
import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PG_DATABASE } from "./pg-config.ts";
import { type PgStack, startPostgres } from "./postgres.ts";

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const address = s.address();
  await new Promise((r) => s.close(r));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function eventually<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("startPostgres", () => {
  let root = "";
  let dataDir = "";
  let ports = { primaryPort: 0, replicaPort: 0 };
  let stack: PgStack;
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  const count = async (url: string) => Number((await sql(url, "select count(*) as n from notes"))[0]?.n);

  beforeAll(async () => {
    // mkdtemp is 0700: the postgres OS user (when running as root) must be able to walk into it.
    root = await mkdtemp(join(tmpdir(), "edgeplate-pg-"));
    await chmod(root, 0o755);
    dataDir = join(root, "data");
    ports = { primaryPort: await freePort(), replicaPort: await freePort() };
    stack = await startPostgres({ dataDir, ...ports, log });
  }, 30_000);

  afterAll(async () => {
    await stack?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("gives URLs of the site's database on the requested ports", () => {
    expect(stack.primaryUrl).toBe(
      `postgresql://postgres:postgres@127.0.0.1:${ports.primaryPort}/${PG_DATABASE}`,
    );
    expect(stack.replicaUrl).toBe(
      `postgresql://postgres:postgres@127.0.0.1:${ports.replicaPort}/${PG_DATABASE}`,
    );
  });

  it("replicates writes on the primary to a read-only, in-recovery replica", async () => {
    await sql(stack.primaryUrl, "create table notes (id serial primary key, body text)");
    await sql(stack.primaryUrl, "insert into notes (body) values ('hello')");
    const rows = await eventually(
      () => sql(stack.replicaUrl, "select body from notes"),
      (r) => r.length === 1,
    );
    expect(rows[0]?.body).toBe("hello");
    expect((await sql(stack.replicaUrl, "select pg_is_in_recovery() as r"))[0]?.r).toBe(true);
    expect((await sql(stack.primaryUrl, "select pg_is_in_recovery() as r"))[0]?.r).toBe(false);
    await expect(sql(stack.replicaUrl, "insert into notes (body) values ('no')")).rejects.toMatchObject({
      code: "25006", // read_only_sql_transaction
    });
  });

  it("stops and restarts the replica, with a real apply delay when asked", async () => {
    await stack.stopReplica();
    await expect(sql(stack.replicaUrl, "select 1")).rejects.toThrow(/ECONNREFUSED/);
    await stack.startReplica({ applyDelayMs: 400 });
    const before = await count(stack.replicaUrl);
    const t = Date.now();
    await sql(stack.primaryUrl, "insert into notes (body) values ('late')");
    expect(await count(stack.replicaUrl)).toBe(before);
    await eventually(
      () => count(stack.replicaUrl),
      (n) => n === before + 1,
    );
    expect(Date.now() - t).toBeGreaterThanOrEqual(350);
    await stack.startReplica({ applyDelayMs: 0 });
  }, 20_000);

  it("restarts on the existing data despite a stale postmaster.pid, and stops everything", async () => {
    await stack.stop();
    await expect(sql(stack.primaryUrl, "select 1")).rejects.toThrow(/ECONNREFUSED/);
    await expect(stat(join(dataDir, "primary", "postmaster.pid"))).rejects.toThrow();
    // What a SIGKILLed run leaves behind, pointing at a pid that no longer exists.
    await writeFile(join(dataDir, "primary", "postmaster.pid"), `999999\n${join(dataDir, "primary")}\n`);
    const t = Date.now();
    stack = await startPostgres({ dataDir, ...ports, log });
    expect(Date.now() - t).toBeLessThan(5000);
    expect(lines.some((l) => l.includes("removing stale"))).toBe(true);
    expect(lines.filter((l) => l.startsWith("initdb")).length).toBe(1);
    expect(await count(stack.primaryUrl)).toBeGreaterThanOrEqual(2);
  }, 20_000);

  it("names the port when it is already taken", async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const address = busy.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      await expect(
        startPostgres({ dataDir: join(dataDir, "other"), primaryPort: port, replicaPort: port + 1, log }),
      ).rejects.toThrow(`port ${port} is already in use`);
    } finally {
      busy.close();
    }
  }, 20_000);
});
