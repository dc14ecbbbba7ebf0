// The dev front door: asterisk requests answered, a reloading wrangler said as much, a dropped upload explained.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../stack/free-port.ts";
import { startFrontDoor } from "./front-door.ts";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function door(upstreamPort: number): Promise<string> {
  const s = await startFrontDoor({ port: await freePort(), upstreamPort });
  servers.push(s);
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe("front door", () => {
  it("says the Workers are restarting when nothing listens upstream", async () => {
    const res = await fetch(`${await door(await freePort())}/x`);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await res.text()).toMatch(/restarting/);
  });

  it("passes answers through, and explains an upstream that drops the connection mid-request", async () => {
    const upstream = createServer((req, res) => {
      if (req.url === "/drop") return void req.socket.destroy();
      res.end("ok");
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    servers.push(upstream);
    const base = await door((upstream.address() as AddressInfo).port);
    expect(await (await fetch(`${base}/fine`)).text()).toBe("ok");
    const dropped = await fetch(`${base}/drop`, { method: "POST", body: "x".repeat(1000) });
    expect(dropped.status).toBe(502);
    expect(await dropped.text()).toMatch(/before reading the whole request/);
  });
});
