// Serves the in-process Redis fallback over TCP (RESP2) so it has a real redis:// URL like a spawned redis-server.
import net from "node:net";
import { toRespError } from "./fallback-commands.ts";
import type { FallbackRedis } from "./fallback-redis.ts";
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

export function serveResp(redis: FallbackRedis, port: number, host = "127.0.0.1"): Promise<RespServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const parser = new RespParser();
    const run = redis.session();
    // Commands run asynchronously; each chunk's replies are written only after the previous chunk's.
    let written: Promise<void> = Promise.resolve();
    let quit = false;
    socket.on("data", (chunk: Buffer) => {
      if (quit || socket.writableEnded) return;
      let values: RespValue[];
      try {
        values = parser.push(chunk);
      } catch {
        // Inline (telnet-style) commands are not supported; say so rather than hang.
        quit = true;
        written = written.then(() => {
          socket.end(encodeReply(new RespError("ERR Protocol error: only RESP arrays are understood")));
        });
        return;
      }
      const replies: (RespValue | Promise<RespValue>)[] = [];
      for (const value of values) {
        const args = commandArgs(value);
        quit = args?.[0]?.toUpperCase() === "QUIT";
        if (quit) {
          replies.push(new RespStatus("OK"));
          break;
        }
        replies.push(
          args ? run(args) : new RespError("ERR Protocol error: expected an array of bulk strings"),
        );
      }
      const closing = quit;
      written = written.then(async () => {
        const settled = await Promise.all(replies.map((r) => Promise.resolve(r).catch(toRespError)));
        const out = Buffer.concat(settled.map(encodeReply));
        if (socket.destroyed) return;
        if (closing) socket.end(out);
        else socket.write(out);
      });
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
