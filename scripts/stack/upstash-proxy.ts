// Upstash-compatible REST endpoint for @upstash/redis in front of a Redis URL (the stack's Redis, or REDIS_URL).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { rewriteScriptCommand } from "./redis/lua-compat.ts";
import type { RespValue } from "./redis/resp.ts";
import { RespClient } from "./redis/resp-client.ts";
import { multiExecEntries, parseUpstashRequest, toUpstashEntry } from "./redis/upstash-protocol.ts";
import type { Log } from "./redis.ts";

export interface UpstashProxyOptions {
  /** 0 picks a free port; the returned url has the real one. */
  port: number;
  /** redis:// URL of the backing Redis. */
  redisUrl: string;
  token: string;
  log: Log;
}

export interface UpstashProxy {
  url: string;
  token: string;
  close(): Promise<void>;
}

interface Backend {
  pipeline(commands: string[][]): Promise<RespValue[]>;
  /** Runs MULTI … EXEC and returns EXEC's reply. */
  multi(commands: string[][]): Promise<RespValue>;
  close(): Promise<void>;
}

function redisBackend(url: string): Backend {
  // Short bounds: a dead Redis must turn into a prompt 503 so the app's fail-open path runs.
  const client = new RespClient(url, { connectTimeoutMs: 500, commandTimeoutMs: 2000 });
  const shas = new Map<string, string>();
  const compat = (commands: string[][]) => commands.map((command) => rewriteScriptCommand(command, shas));
  return {
    pipeline: (commands) => client.sendBatch(compat(commands)),
    async multi(commands) {
      const replies = await client.sendBatch([["MULTI"], ...compat(commands), ["EXEC"]]);
      return replies[replies.length - 1] ?? null;
    },
    close: () => client.close(),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startUpstashProxy(opts: UpstashProxyOptions): Promise<UpstashProxy> {
  const backend = redisBackend(opts.redisUrl);
  let syncToken = 0;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "upstash-sync-token": String(++syncToken) });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${opts.token}`) {
      return send(res, 401, { error: "Unauthorized: missing or wrong 'Authorization: Bearer <token>'" });
    }
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const pathname = new URL(req.url ?? "/", "http://proxy").pathname;
    const request = parseUpstashRequest(req.method ?? "GET", pathname, await readBody(req));
    try {
      switch (request.kind) {
        case "invalid":
          return send(res, 400, { error: request.error });
        case "single": {
          const [reply = null] = await backend.pipeline([request.command]);
          const entry = toUpstashEntry(reply, base64);
          return send(res, "error" in entry ? 400 : 200, entry);
        }
        case "pipeline": {
          const replies = await backend.pipeline(request.commands);
          return send(
            res,
            200,
            replies.map((reply) => toUpstashEntry(reply, base64)),
          );
        }
        case "multi": {
          const entries = multiExecEntries(await backend.multi(request.commands), base64);
          return send(res, Array.isArray(entries) ? 200 : 400, entries);
        }
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return send(res, 503, { error: `redis unavailable: ${message}` });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      opts.log(`upstash-proxy: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, { error: "internal proxy error" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const url = `http://127.0.0.1:${port}`;
  opts.log(`upstash-proxy: ${url} → redis`);
  return {
    url,
    token: opts.token,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.close();
    },
  };
}
