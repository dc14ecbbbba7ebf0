// Serves a MemoryRedis over TCP (RESP2) so the fallback has a real redis:// URL like a spawned redis-server.
import net from "node:net";
import type { MemoryRedis } from "./memory-redis.ts";
import { encodeReply, RespError, RespParser, RespStatus, type RespValue } from "./resp.ts";

export interface RespServer {
  port: number;
  close(): Promise<void>;
}

function commandArgs(value: RespValue): string[] | null {
  if (!Array.isArray(value)) return null;
  const args: string[] = [];
  for (const item of value) {
    if (!Buffer.isBuffer(item)) return null;
    args.push(item.toString("utf8"));
  }
  return args.length > 0 ? args : null;
}

export function serveResp(redis: MemoryRedis, port: number, host = "127.0.0.1"): Promise<RespServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const parser = new RespParser();
    const run = redis.session();
    socket.on("data", (chunk: Buffer) => {
      if (socket.writableEnded) return;
      let values: RespValue[];
      try {
        values = parser.push(chunk);
      } catch {
        // Inline (telnet-style) commands are not supported; say so rather than hang.
        socket.end(encodeReply(new RespError("ERR Protocol error: only RESP arrays are understood")));
        return;
      }
      let quit = false;
      const replies = values.map((value) => {
        const args = commandArgs(value);
        if (!args) return new RespError("ERR Protocol error: expected an array of bulk strings");
        if (args[0]?.toUpperCase() === "QUIT") quit = true;
        return quit ? new RespStatus("OK") : run(args);
      });
      const out = Buffer.concat(replies.map(encodeReply));
      if (quit) socket.end(out);
      else socket.write(out);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
