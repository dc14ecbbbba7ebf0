import { afterEach, describe, expect, it } from "vitest";
import { errorFields, log, setLogContext, setLogSink } from "./index.ts";

let restore = () => {};
afterEach(() => {
  restore();
  setLogContext({});
});

function capture() {
  const lines: Array<{ level: string; line: Record<string, unknown> }> = [];
  restore = setLogSink((level, line) => lines.push({ level, line: JSON.parse(line) }));
  return lines;
}

describe("log", () => {
  it("writes one JSON line with level, msg, the worker and the bound and given fields", () => {
    const lines = capture();
    setLogContext({ worker: "origin" });
    log.with({ requestId: "r-1", route: "/events/:slug" }).info("request", { status: 200, ms: 12 });
    expect(lines).toEqual([
      {
        level: "info",
        line: {
          level: "info",
          msg: "request",
          worker: "origin",
          requestId: "r-1",
          route: "/events/:slug",
          status: 200,
          ms: 12,
        },
      },
    ]);
  });

  it("never writes a credential or a session id, at any depth", () => {
    const lines = capture();
    log.warn("login", {
      sessionId: "s_abc",
      code: "123456",
      headers: { authorization: "Bearer x", cookie: "sid=abc", accept: "text/html" },
      adminToken: "t",
      apiKey: "k",
      EDGE_SECRET: "e",
    });
    const text = JSON.stringify(lines);
    for (const secret of ["s_abc", "123456", "Bearer x", "sid=abc", '"t"', '"k"', '"e"']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("text/html");
  });

  it("turns errors into their type, message and the top of the stack", () => {
    const lines = capture();
    log.error("unhandled", { error: new TypeError("boom") });
    expect(lines[0]?.line).toMatchObject({ level: "error", errorType: "TypeError", error: "boom" });
    expect(errorFields("plain")).toEqual({ errorType: "string", error: "plain" });
  });
});
