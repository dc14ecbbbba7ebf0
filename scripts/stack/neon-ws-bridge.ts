// Pipes a Neon-driver WebSocket to a Postgres TCP socket and hangs both up together.
import { connect, type Socket } from "node:net";
import type { RawData, WebSocket } from "ws";
import type { Target } from "./neon-protocol.ts";
import { createTerminateWatcher } from "./pg-wire.ts";

const HIGH_WATER = 4 * 1024 * 1024;

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** Bridges until either side closes, or until the client sends Terminate (see pg-wire.ts for why). */
export function bridge(ws: WebSocket, target: Target, sockets: Set<Socket>): void {
  const tcp = connect(target.port, target.host);
  sockets.add(tcp);
  const watch = createTerminateWatcher();
  let closed = false;
  const closeBoth = (code = 1000) => {
    if (closed) return;
    closed = true;
    sockets.delete(tcp);
    // end() lets the already-written Terminate reach Postgres before the FIN.
    tcp.end();
    tcp.destroySoon();
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code);
  };

  ws.on("message", (data) => {
    const buf = toBuffer(data);
    // net.Socket queues writes made while still connecting, so no buffering is needed here.
    tcp.write(buf);
    if (watch(buf) === "terminated") closeBoth();
  });
  // Slow WebSocket reader: stop reading Postgres until what we sent has been flushed.
  let inFlight = 0;
  tcp.on("data", (chunk) => {
    inFlight += chunk.length;
    ws.send(chunk, () => {
      inFlight -= chunk.length;
      if (tcp.isPaused() && inFlight < HIGH_WATER / 2) tcp.resume();
    });
    if (inFlight > HIGH_WATER) tcp.pause();
  });
  tcp.on("error", () => closeBoth(1011));
  tcp.on("close", () => closeBoth());
  ws.on("error", () => closeBoth(1011));
  ws.on("close", () => closeBoth());
}
