// Upstash REST mapping: request shapes, and base64 rules exactly as @upstash/redis decodes them.
import { describe, expect, it } from "vitest";
import { RespError, RespStatus } from "./resp.ts";
import {
  multiExecEntries,
  parseUpstashRequest,
  toUpstashEntry,
  toUpstashResult,
} from "./upstash-protocol.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("parseUpstashRequest", () => {
  it("reads single commands, stringifying numbers and booleans", () => {
    expect(parseUpstashRequest("POST", "/", '["SET","k",1,true]')).toEqual({
      kind: "single",
      command: ["SET", "k", "1", "true"],
    });
  });

  it("reads pipeline and multi-exec batches", () => {
    expect(parseUpstashRequest("POST", "/pipeline", '[["GET","a"],["INCR","b"]]')).toEqual({
      kind: "pipeline",
      commands: [
        ["GET", "a"],
        ["INCR", "b"],
      ],
    });
    expect(parseUpstashRequest("POST", "/multi-exec/", '[["GET","a"]]').kind).toBe("multi");
  });

  it("reads the path form, with a POST body as the last argument", () => {
    expect(parseUpstashRequest("GET", "/set/a%2Fb/v", "")).toEqual({
      kind: "single",
      command: ["set", "a/b", "v"],
    });
    expect(parseUpstashRequest("POST", "/set/k", "body")).toEqual({
      kind: "single",
      command: ["set", "k", "body"],
    });
  });

  it("refuses malformed bodies and connection-wedging commands", () => {
    expect(parseUpstashRequest("POST", "/", "{").kind).toBe("invalid");
    expect(parseUpstashRequest("POST", "/", '["GET",{"a":1}]').kind).toBe("invalid");
    expect(parseUpstashRequest("POST", "/pipeline", "[]").kind).toBe("invalid");
    expect(parseUpstashRequest("POST", "/", '["BLPOP","q","0"]').kind).toBe("invalid");
    expect(parseUpstashRequest("POST", "/pipeline", '[["MULTI"]]').kind).toBe("invalid");
  });
});

describe("toUpstashResult", () => {
  it("base64-encodes every string except the OK status, recursively, and keeps numbers and nulls", () => {
    const reply = [Buffer.from("é"), 3, null, [Buffer.from("x")]];
    expect(toUpstashResult(reply, true)).toEqual([b64("é"), 3, null, [b64("x")]]);
    expect(toUpstashResult(new RespStatus("OK"), true)).toBe("OK");
    expect(toUpstashResult(new RespStatus("PONG"), true)).toBe(b64("PONG"));
    expect(toUpstashResult(Buffer.from("OK"), false)).toBe("OK");
  });

  it("turns error replies into {error} entries and EXEC aborts into one error", () => {
    expect(toUpstashEntry(new RespError("ERR x"), true)).toEqual({ error: "ERR x" });
    expect(multiExecEntries([new RespStatus("OK"), new RespError("ERR y")], true)).toEqual([
      { result: "OK" },
      { error: "ERR y" },
    ]);
    expect(multiExecEntries(new RespError("EXECABORT z"), true)).toEqual({ error: "EXECABORT z" });
    expect(multiExecEntries(null, true)).toEqual({ error: "ERR transaction aborted" });
  });
});
