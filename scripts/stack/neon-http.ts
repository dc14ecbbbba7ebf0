// Neon's HTTP query endpoint (POST /sql) on top of node-postgres pools, one pool per connection string.
import type { IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";
import {
  beginStatement,
  errorJson,
  type Field,
  localConnectionString,
  ProtocolError,
  parseSqlBody,
  resultJson,
  type SqlQuery,
} from "./neon-protocol.ts";

const MAX_POOLS = 8;
const MAX_BODY = 16 * 1024 * 1024;

// Neon-Raw-Text-Output: values go back exactly as Postgres printed them; the driver parses them itself.
const rawText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

type ArrayResult = { command: string; rowCount: number | null; rows: unknown[][]; fields: Field[] };

export type SqlHandler = {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ProtocolError("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function run(client: pg.Pool | pg.PoolClient, q: SqlQuery): Promise<ArrayResult> {
  // Extended protocol always, like Neon: one statement per query, parameters sent as text.
  const config = {
    text: q.query,
    values: q.params,
    rowMode: "array" as const,
    types: rawText,
    queryMode: "extended",
  };
  return client.query(config) as unknown as Promise<ArrayResult>;
}

export function createSqlHandler(): SqlHandler {
  // Insertion order doubles as LRU order: a used pool is moved to the end, the first one is evicted.
  const pools = new Map<string, pg.Pool>();
  const poolFor = (connectionString: string): pg.Pool => {
    let pool = pools.get(connectionString);
    if (pool) pools.delete(connectionString);
    else {
      pool = new pg.Pool({ connectionString, max: 10, idleTimeoutMillis: 10_000 });
      pool.on("error", () => {}); // an idle client's server went away (e.g. replica stopped): just drop it
    }
    pools.set(connectionString, pool);
    for (const [key, old] of pools) {
      if (pools.size <= MAX_POOLS) break;
      pools.delete(key);
      void old.end();
    }
    return pool;
  };

  const execute = async (req: IncomingMessage, body: string) => {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const pool = poolFor(localConnectionString(header("neon-connection-string")));
    const arrayMode = header("neon-array-mode") === "true";
    const request = parseSqlBody(body);
    if ("single" in request) return resultJson(await run(pool, request.single), arrayMode);
    const begin = beginStatement({
      isolation: header("neon-batch-isolation-level"),
      readOnly: header("neon-batch-read-only"),
      deferrable: header("neon-batch-deferrable"),
    });
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const results = [];
      for (const q of request.batch) results.push(resultJson(await run(client, q), arrayMode));
      await client.query("COMMIT");
      return { results };
    } catch (err) {
      // A client that cannot even roll back is dead: destroy it instead of returning it to the pool.
      await client.query("ROLLBACK").catch(() => (broken = true));
      throw err;
    } finally {
      client.release(broken);
    }
  };

  return {
    async handle(req, res) {
      let status = 200;
      let reply: unknown;
      try {
        reply = await execute(req, await readBody(req));
      } catch (err) {
        // 400 + Postgres' error fields is what the driver turns into a NeonDbError with code/detail/...
        status = 400;
        reply = err instanceof ProtocolError ? { message: err.message } : errorJson(err);
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(reply));
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((p) => p.end()));
    },
  };
}
