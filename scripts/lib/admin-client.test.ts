// Admin CLI plumbing: url/token precedence, stack.json, error mapping, and readonly's arguments.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReadonlyArgs } from "../readonly.ts";
import {
  type AdminTarget,
  adminRequest,
  CliError,
  DEFAULT_EDGE_URL,
  readStackJson,
  resolveTarget,
  TOKEN_ENV,
} from "./admin-client.ts";

const stack = { edgeUrl: "http://127.0.0.1:9999", adminToken: "stack-token" };

describe("resolveTarget", () => {
  it("prefers flags, then the environment, then stack.json", () => {
    const env = { [TOKEN_ENV]: "env-token" };
    expect(resolveTarget({ url: "http://localhost:1234/x", token: "flag" }, env, stack)).toEqual({
      url: "http://localhost:1234",
      token: "flag",
      remote: false,
      tokenFrom: "--token",
    });
    expect(resolveTarget({}, env, stack)).toMatchObject({ url: stack.edgeUrl, token: "env-token" });
    expect(resolveTarget({}, {}, stack)).toMatchObject({ url: stack.edgeUrl, token: "stack-token" });
  });

  it("falls back to the default local URL without stack.json", () => {
    expect(resolveTarget({ token: "t" }, {}, null)).toMatchObject({ url: DEFAULT_EDGE_URL, remote: false });
  });

  it("fails clearly without any token, with a bad URL, or with http to a remote host", () => {
    expect(() => resolveTarget({}, {}, null)).toThrow(/no admin token/);
    expect(() => resolveTarget({ url: "events.example.com", token: "t" }, {}, null)).toThrow(/full URL/);
    expect(() => resolveTarget({ url: "http://events.example.com", token: "t" }, {}, null)).toThrow(/https/);
  });

  it("never sends the local stack's token to a remote site", () => {
    expect(() => resolveTarget({ url: "https://events.example.com" }, {}, stack)).toThrow(/remote/);
    expect(resolveTarget({ url: "https://events.example.com", token: "t" }, {}, stack)).toMatchObject({
      remote: true,
      tokenFrom: "--token",
    });
  });
});

describe("readStackJson", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgeplate-stack-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns null when missing, the known fields when present, and fails on bad JSON", async () => {
    expect(await readStackJson(join(dir, "missing.json"))).toBeNull();
    await writeFile(join(dir, "ok.json"), JSON.stringify({ ...stack, other: 1, adminToken: "x" }));
    expect(await readStackJson(join(dir, "ok.json"))).toEqual({ edgeUrl: stack.edgeUrl, adminToken: "x" });
    await writeFile(join(dir, "bad.json"), "{");
    await expect(readStackJson(join(dir, "bad.json"))).rejects.toBeInstanceOf(CliError);
  });
});

describe("adminRequest", () => {
  let server: Server;
  let target: AdminTarget;
  const seen: Array<{ auth: string | undefined; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        seen.push({ auth: req.headers.authorization, body });
        const routes: Record<string, [number, string]> = {
          "/ok": [200, '{"on":true}'],
          "/unauth": [401, "Unauthorized"],
          "/bad": [400, "Invalid read-only request: on: expected boolean"],
          "/html": [200, "<html></html>"],
        };
        const [status, text] = routes[req.url ?? ""] ?? [404, "not found"];
        res.writeHead(status).end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    target = { url: `http://127.0.0.1:${port}`, token: "secret", remote: false, tokenFrom: "--token" };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends the bearer token and JSON body, and parses the reply", async () => {
    expect(await adminRequest(target, "PUT", "/ok", { body: { on: true } })).toEqual({ on: true });
    expect(seen.at(-1)).toEqual({ auth: "Bearer secret", body: '{"on":true}' });
  });

  it("turns 401, 400, non-JSON and unreachable into clear CliErrors", async () => {
    await expect(adminRequest(target, "GET", "/unauth")).rejects.toThrow(/refused the admin token \(401\)/);
    await expect(adminRequest(target, "GET", "/bad")).rejects.toThrow(/\(400\): Invalid read-only request/);
    await expect(adminRequest(target, "GET", "/html")).rejects.toThrow(/not with JSON/);
    const closed = { ...target, url: "http://127.0.0.1:9" };
    await expect(adminRequest(closed, "GET", "/ok")).rejects.toThrow(/cannot reach .*npm run dev/);
  });
});

describe("parseReadonlyArgs", () => {
  it("parses on/off/status with their options", () => {
    const on = parseReadonlyArgs(
      ["on", "--reason", "DB upgrade", "--retry-after", "600", "--url", "http://x"],
      {
        USER: "ann",
      },
    );
    expect(on).toEqual({
      command: {
        action: "set",
        body: { on: true, reason: "DB upgrade", retryAfter: 600 },
        actor: "ann (cli)",
      },
      flags: { url: "http://x", token: undefined },
    });
    expect(parseReadonlyArgs(["off"], {}).command).toMatchObject({ action: "set", body: { on: false } });
    expect(parseReadonlyArgs(["status", "--token", "t"], {})).toMatchObject({
      command: { action: "status" },
    });
    expect(parseReadonlyArgs(["audit"], {}).command).toEqual({ action: "audit" });
    expect(parseReadonlyArgs(["probe"], {}).command).toEqual({ action: "probe" });
  });

  it("rejects bad actions, bad retry times and unknown flags", () => {
    expect(() => parseReadonlyArgs([], {})).toThrow(/usage/);
    expect(() => parseReadonlyArgs(["maybe"], {})).toThrow(/usage/);
    expect(() => parseReadonlyArgs(["on", "--retry-after", "soon"], {})).toThrow(/whole seconds/);
    expect(() => parseReadonlyArgs(["on", "--retry-after", "0"], {})).toThrow(/whole seconds/);
    expect(() => parseReadonlyArgs(["on", "--force"], {})).toThrow(/Unknown option/);
  });
});
