// The load client's response reader: both framings, split anywhere across reads, several per read.
import { describe, expect, it } from "vitest";
import { ResponseParser } from "./http-parse.ts";

const fixed = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nCache-Status: edgeplate; hit\r\n\r\nhello";
const chunked =
  "HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\ncontent-type: text/plain\r\n\r\n" +
  "3\r\nabc\r\n10;ext=1\r\n0123456789abcdef\r\n0\r\n\r\n";
const empty = "HTTP/1.1 204 No Content\r\n\r\n";

describe("ResponseParser", () => {
  const stream = fixed + chunked + empty + fixed;
  const expected = [
    { status: 200, cacheStatus: "edgeplate; hit", bodyBytes: 5 },
    { status: 404, cacheStatus: null, bodyBytes: 19 },
    { status: 204, cacheStatus: null, bodyBytes: 0 },
    { status: 200, cacheStatus: "edgeplate; hit", bodyBytes: 5 },
  ];

  it("reads responses that arrive together", () => {
    expect(new ResponseParser().feed(Buffer.from(stream))).toEqual(expected);
  });

  it("reads the same split at every byte", () => {
    for (let cut = 1; cut < stream.length; cut += 1) {
      const p = new ResponseParser();
      const got = [...p.feed(Buffer.from(stream.slice(0, cut))), ...p.feed(Buffer.from(stream.slice(cut)))];
      expect(got, `cut at ${cut}`).toEqual(expected);
    }
  });

  it("refuses what is not HTTP", () => {
    expect(() => new ResponseParser().feed(Buffer.from("SSH-2.0-x\r\n\r\n"))).toThrow(/not an HTTP response/);
  });
});
