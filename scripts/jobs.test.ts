// The dead-jobs CLI: its arguments, and what it asks of the admin API and prints, against a fake site.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseJobsArgs, runJobs } from "./jobs.ts";

const job = {
  jobId: "confirm:abc",
  name: "send-confirmation",
  payload: { eventSlug: "s", email: "a@b.co", name: "A" },
  error: "Error: boom\n at x",
  attempts: 5,
  failedAt: "2026-12-01T10:00:00Z",
  rerunAt: null,
};

let server: Server;
const seen: string[] = [];
let url = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/_admin/jobs/dead?all=1" || req.url === "/_admin/jobs/dead")
      return send(200, { dead: [job] });
    if (req.url === "/_admin/jobs/stats")
      return send(200, { dead: { "send-confirmation": 1 }, outboxPending: 2 });
    if (req.url === "/_admin/jobs/dead/confirm%3Aabc" && req.method === "GET") return send(200, { job });
    if (req.url === "/_admin/jobs/dead/confirm%3Aabc" && req.method === "DELETE")
      return send(200, { discarded: "confirm:abc" });
    if (req.url === "/_admin/jobs/dead/confirm%3Aabc/rerun")
      return send(200, { rerun: "confirm:abc", name: job.name });
    send(404, { error: "not_found", message: "No dead job with that id." });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("npm run jobs", () => {
  it("parses its commands and refuses anything else with the usage", () => {
    expect(parseJobsArgs(["list", "--all"]).command).toEqual({ action: "list", all: true });
    expect(parseJobsArgs(["rerun", "x"]).command).toEqual({ action: "rerun", id: "x" });
    expect(() => parseJobsArgs(["rerun"])).toThrow(/usage/);
    expect(() => parseJobsArgs(["explode"])).toThrow(/usage/);
    expect(() => parseJobsArgs(["list", "x"])).toThrow(/usage/);
    expect(parseJobsArgs(["enqueue", "backfill-city", '{"batchSize":5}']).command).toEqual({
      action: "enqueue",
      name: "backfill-city",
      payload: { batchSize: 5 },
    });
    expect(() => parseJobsArgs(["enqueue", "x", "{nope"])).toThrow(/must be JSON/);
  });

  it("lists, shows, re-runs and discards through the admin API with the token", async () => {
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    const target = { url, token: "t0k3n", remote: false, tokenFrom: "--token" };
    await runJobs(target, { action: "list", all: true });
    await runJobs(target, { action: "stats" });
    await runJobs(target, { action: "show", id: "confirm:abc" });
    await runJobs(target, { action: "rerun", id: "confirm:abc" });
    await runJobs(target, { action: "discard", id: "confirm:abc" });
    const printed = out.mock.calls.map((c) => String(c[0])).join("\n");
    out.mockRestore();
    expect(seen).toEqual([
      "GET /_admin/jobs/dead?all=1 Bearer t0k3n",
      "GET /_admin/jobs/stats Bearer t0k3n",
      "GET /_admin/jobs/dead/confirm%3Aabc Bearer t0k3n",
      "POST /_admin/jobs/dead/confirm%3Aabc/rerun Bearer t0k3n",
      "DELETE /_admin/jobs/dead/confirm%3Aabc Bearer t0k3n",
    ]);
    expect(printed).toContain("confirm:abc  send-confirmation  5 attempt(s)");
    expect(printed).toContain("2 job(s) staged in the outbox");
    expect(printed).toContain('"email":"a@b.co"');
    expect(printed).toContain("discarded");
  });

  it("says clearly when the id is unknown", async () => {
    const target = { url, token: "t", remote: false, tokenFrom: "--token" };
    await expect(runJobs(target, { action: "show", id: "nope" })).rejects.toThrow(/404.*No dead job/);
  });
});
