// RESP2 encoding/parsing: values split across chunks, nested arrays, nulls and errors survive a round trip.
import { describe, expect, it } from "vitest";
import { encodeCommand, encodeReply, RespError, RespParser, RespStatus, type RespValue } from "./resp.ts";

describe("RESP2", () => {
  it("encodes commands as arrays of bulk strings, counting UTF-8 bytes", () => {
    expect(encodeCommand(["SET", "k", "é"]).toString()).toBe("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n");
  });

  it("parses every reply type, even when fed one byte at a time", () => {
    const value: RespValue = [
      new RespStatus("OK"),
      new RespError("ERR nope"),
      42,
      null,
      Buffer.from("a\r\nb"),
      [[]],
    ];
    const wire = encodeReply(value);
    const parser = new RespParser();
    const out: RespValue[] = [];
    for (const byte of wire) out.push(...parser.push(Buffer.from([byte])));
    expect(out).toEqual([value]);
  });

  it("yields several pipelined replies from one chunk and keeps the partial tail", () => {
    const parser = new RespParser();
    const wire = Buffer.concat([encodeReply(1), encodeReply(Buffer.from("xyz")), encodeReply(2)]);
    expect(parser.push(wire.subarray(0, wire.length - 2))).toEqual([1, Buffer.from("xyz")]);
    expect(parser.push(wire.subarray(wire.length - 2))).toEqual([2]);
  });

  it("rejects garbage instead of silently misaligning replies", () => {
    expect(() => new RespParser().push(Buffer.from("?what\r\n"))).toThrow(/protocol error/);
  });
});
