// A local stand-in for Neon's edge: WebSocket ↔ TCP at /v2 and the HTTP query API at /sql, on one port.
import { createServer } from "node:http";
import type { Socket } from "node:net";
import { WebSocketServer } from "ws";
import { createSqlHandler } from "./neon-http.ts";
import { parseAddress } from "./neon-protocol.ts";
import { bridge } from "./neon-ws-bridge.ts";

export type NeonProxyOptions = { port: number; host?: string; log: (line: string) => void };
export type NeonProxy = {
  /** http://<host>:<port>; the Worker side wants "<host>:<port>" (see shared/db/neon-local.ts). */
  url: string;
  close(): Promise<void>;
};

export async function startNeonProxy(opts: NeonProxyOptions): Promise<NeonProxy> {
  const host = opts.host ?? "127.0.0.1";
  const sql = createSqlHandler();
  const tcpSockets = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true });

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://proxy").pathname;
    if (req.method === "POST" && path === "/sql") {
      void sql.handle(req, res);
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ message: "neon proxy: POST /sql or a WebSocket to /v2?address=host:port" }));
  });

  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const target = url.pathname === "/v2" ? parseAddress(url.searchParams.get("address")) : undefined;
    if (!target) {
      socket.end(
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nneed /v2?address=<loopback host>:<port>\n",
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, target, tcpSockets));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new Error(`neon proxy: port ${opts.port} is already in use on ${host}`)
          : err,
      ),
    );
    server.listen(opts.port, host, () => resolve());
  });
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${opts.port}`;
  opts.log(`neon proxy on ${url} (WebSocket /v2?address=host:port, POST /sql)`);

  return {
    url,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      for (const s of tcpSockets) s.destroy();
      tcpSockets.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sql.close();
    },
  };
}
