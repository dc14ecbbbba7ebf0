// The local site's front door: a thin HTTP proxy in front of `wrangler dev` for what its runtime cannot answer.
//
// workerd's dev server turns an asterisk-form request (`OPTIONS * HTTP/1.1`) into a 500, because no URL can be made
// of it; in production Cloudflare's front line answers those. Here the front door answers them (204 with Allow for
// OPTIONS, 400 for the rest), and says "restarting" with a 503 while wrangler reloads, instead of refusing the
// connection, or what happened when workerd dropped a request it refused early. Everything else passes through untouched, WebSocket upgrades included.
import { createServer, request, type Server } from "node:http";
import { connect } from "node:net";

const ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

export function startFrontDoor(opts: { port: number; upstreamPort: number }): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === "*") {
      const options = req.method === "OPTIONS";
      res.writeHead(options ? 204 : 400, {
        allow: ALLOW,
        "cache-control": "no-store",
        ...(options ? {} : { "content-type": "text/plain; charset=utf-8" }),
      });
      res.end(options ? undefined : "An asterisk request target is only meaningful for OPTIONS.\n");
      req.resume();
      return;
    }
    const upstream = request(
      { host: "127.0.0.1", port: opts.upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.statusMessage, up.rawHeaders);
        up.pipe(res);
      },
    );
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return void res.destroy();
      req.resume();
      // Refused: wrangler is reloading. Anything else came after connecting: workerd answered early (a body over
      // the edge's limit gets its 413 before it is read) and closed the socket under the rest of the upload.
      const restarting = error.code === "ECONNREFUSED";
      res.writeHead(restarting ? 503 : 502, {
        ...(restarting ? { "retry-after": "2" } : {}),
        "content-type": "text/plain; charset=utf-8",
      });
      res.end(
        restarting
          ? "The local Workers are restarting; try again in a moment.\n"
          : "The local Workers closed the connection before reading the whole request: a body over the site's " +
              "limit (1 MiB) is refused this way locally; deployed, it gets a 413.\n",
      );
    });
    req.pipe(upstream);
  });
  server.on("upgrade", (req, socket, head) => {
    const upstream = connect(opts.upstreamPort, "127.0.0.1", () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve(server));
  });
}
