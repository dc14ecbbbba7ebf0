// The Neon driver itself (HTTP and WebSocket) against the local proxy and a real Postgres.

import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { neon, neonConfig, Pool } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { useLocalNeonProxy } from "../../shared/db/index.ts";
import { type NeonProxy, startNeonProxy } from "./neon-proxy.ts";
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

function startupPacket(appName: string): Buffer {
  const body = Buffer.from(`user\0postgres\0database\0${PG_DATABASE}\0application_name\0${appName}\0\0`);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, body]);
}

describe("neon proxy", () => {
  let root = "";
  let pgStack: PgStack;
  let proxy: NeonProxy;
  let url = "";
  const sql = () => neon(url);
  const backends = async (app: string) => {
    const rows = await sql()`select count(*)::int as n from pg_stat_activity where application_name = ${app}`;
    return Number(rows[0]?.n);
  };
  const waitFor = async (f: () => Promise<boolean>) => {
    const deadline = Date.now() + 3000;
    while (!(await f())) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "edgeplate-neon-"));
    await chmod(root, 0o755);
    const log = () => {};
    pgStack = await startPostgres({
      dataDir: root,
      primaryPort: await freePort(),
      replicaPort: await freePort(),
      log,
    });
    proxy = await startNeonProxy({ port: await freePort(), log });
    useLocalNeonProxy(neonConfig, proxy.url.replace("http://", ""));
    neonConfig.webSocketConstructor = WebSocket;
    url = pgStack.primaryUrl;
    await sql()`create table items (id serial primary key, name text not null unique, data bytea)`;
  }, 30_000);

  afterAll(async () => {
    await proxy?.close();
    await pgStack?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("answers one-shot HTTP queries with values the driver parses to JS types", async () => {
    const [row] = await sql()`select 1::int as one, ${"x"}::text as t, null::int as n,
      '{1,2}'::int[] as arr, now() as ts, ${new Uint8Array([1, 2, 255])}::bytea as b`;
    expect(row).toMatchObject({ one: 1, t: "x", n: null, arr: [1, 2] });
    expect(row?.ts).toBeInstanceOf(Date);
    expect(Array.from(row?.b as Uint8Array)).toEqual([1, 2, 255]);
    const full = await sql().query("select $1::text as a", ["hi"], { fullResults: true, arrayMode: true });
    expect(full).toMatchObject({ command: "SELECT", rowCount: 1, rows: [["hi"]] });
    expect(full.fields[0]).toMatchObject({ name: "a", dataTypeID: 25 });
  });

  it("turns Postgres errors into NeonDbErrors with their code", async () => {
    await expect(sql()`select * from missing_table`).rejects.toMatchObject({
      name: "NeonDbError",
      code: "42P01",
      message: 'relation "missing_table" does not exist',
    });
  });

  it("runs a batch as one transaction, with its isolation options, rolled back whole on error", async () => {
    const s = sql();
    const [, , counted] = await s.transaction([
      s`insert into items (name) values ('a')`,
      s`insert into items (name) values ('b')`,
      s`select count(*)::int as n from items`,
    ]);
    expect(counted).toEqual([{ n: 2 }]);
    await expect(
      s.transaction([s`insert into items (name) values ('c')`, s`insert into items (name) values ('a')`]),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await s`select name from items order by name`).toEqual([{ name: "a" }, { name: "b" }]);
    const [settings] = await s.transaction(
      [
        s`select current_setting('transaction_isolation') as iso, current_setting('transaction_read_only') as ro`,
      ],
      { isolationLevel: "Serializable", readOnly: true },
    );
    expect(settings).toEqual([{ iso: "serializable", ro: "on" }]);
  });

  it("runs interactive transactions through a Pool over WebSocket", async () => {
    const pool = new Pool({ connectionString: url });
    const client = await pool.connect();
    try {
      await client.query("begin");
      await client.query("insert into items (name) values ($1)", ["ws"]);
      const inside = await client.query("select count(*)::int as n from items where name = 'ws'");
      expect(inside.rows).toEqual([{ n: 1 }]);
      await client.query("rollback");
    } finally {
      client.release();
      await pool.end();
    }
    expect(await sql()`select count(*)::int as n from items where name = 'ws'`).toEqual([{ n: 0 }]);
  });

  it("hangs up the server connection after Client.end()", async () => {
    const pool = new Pool({ connectionString: `${url}?application_name=end_test` });
    const client = await pool.connect();
    await client.query("select 1");
    expect(await backends("end_test")).toBe(1);
    client.release();
    await pool.end();
    await waitFor(async () => (await backends("end_test")) === 0);
  });

  it("closes both sides itself when the client sends Terminate, even if neither peer hangs up", async () => {
    // A server that, unlike Postgres, never closes: only the proxy's Terminate watch can end this.
    let received = Buffer.alloc(0);
    const serverSawEnd = new Promise<void>((resolve) => {
      const fake = createServer((sock) => {
        sock.on("data", (d) => (received = Buffer.concat([received, d])));
        sock.on("end", () => {
          resolve();
          fake.close();
        });
      });
      fake.listen(0, "127.0.0.1", () => {
        const a = fake.address();
        const port = typeof a === "object" && a ? a.port : 0;
        const ws = new WebSocket(`${proxy.url.replace("http", "ws")}/v2?address=127.0.0.1:${port}`);
        ws.on("open", () => {
          ws.send(startupPacket("x_in_name_X"));
          ws.send(Buffer.from([0x51, 0, 0, 0, 8, 0x58, 0x58, 0x58, 0])); // Query "XXX"
          ws.send(Buffer.from([0x58, 0, 0, 0, 4])); // Terminate; our side never calls ws.close()
        });
        ws.on("close", (code) => wsClosed.push(code));
      });
    });
    const wsClosed: number[] = [];
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error("no FIN at the server")), 3000),
    );
    await Promise.race([serverSawEnd, timeout]);
    await waitFor(async () => wsClosed.length === 1);
    expect(wsClosed).toEqual([1000]);
    expect(received.subarray(-5)).toEqual(Buffer.from([0x58, 0, 0, 0, 4]));
  });

  it("drops the Postgres connection when the WebSocket dies abruptly", async () => {
    const ws = new WebSocket(`${proxy.url.replace("http", "ws")}/v2?address=${new URL(url).host}`);
    await new Promise((r) => ws.on("open", r));
    ws.send(startupPacket("abrupt_test"));
    await waitFor(async () => (await backends("abrupt_test")) === 1);
    ws.terminate();
    await waitFor(async () => (await backends("abrupt_test")) === 0);
  });

  it("refuses to relay to anything but loopback", async () => {
    await expect(neon("postgresql://u:p@db.example.com/x")`select 1`).rejects.toThrow(/non-loopback/);
    const ws = new WebSocket(`${proxy.url.replace("http", "ws")}/v2?address=10.0.0.1:5432`);
    await expect(new Promise((_, reject) => ws.on("error", reject))).rejects.toThrow(/400/);
  });
});
