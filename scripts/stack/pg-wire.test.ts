// Terminate detection over real message framing, however the bytes are chunked.
import { describe, expect, it } from "vitest";
import { createTerminateWatcher, type WireState } from "./pg-wire.ts";

function int32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
function startup(): number[] {
  const body = [...Buffer.from("user\0postgres\0database\0edgeplate\0\0")];
  return [...int32(8 + body.length), ...int32(196608), ...body];
}
const sslRequest = [...int32(8), ...int32(80877103)];
function msg(type: string, body: number[]): number[] {
  return [type.charCodeAt(0), ...int32(4 + body.length), ...body];
}
const query = (sql: string) => msg("Q", [...Buffer.from(`${sql}\0`)]);
const terminate = msg("X", []);

function feed(bytes: number[], chunkSize: number): WireState[] {
  const watch = createTerminateWatcher();
  const states: WireState[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    states.push(watch(Uint8Array.from(bytes.slice(i, i + chunkSize))));
  }
  return states;
}

describe("createTerminateWatcher", () => {
  it("spots Terminate after startup and queries, at any chunking", () => {
    const stream = [...startup(), ...query("select 1"), ...terminate];
    for (const size of [1, 2, 3, 5, 7, 64, stream.length]) {
      const states = feed(stream, size);
      expect(states.at(-1)).toBe("terminated");
      // Not before the last chunk: the X only arrives at the end.
      expect(states.slice(0, -1)).not.toContain("terminated");
    }
  });

  it("does not mistake an 'X' inside a query or a startup packet for Terminate", () => {
    const xInside = query("select 'X\u0000\u0000\u0000\u0004'");
    const states = feed([...startup(), ...xInside, ...query("select 2")], 3);
    expect(states).not.toContain("terminated");
  });

  it("parses the startup message that follows a refused SSLRequest", () => {
    const states = feed([...sslRequest, ...startup(), ...terminate], 4);
    expect(states.at(-1)).toBe("terminated");
  });

  it("gives up once the client starts TLS", () => {
    const states = feed([...sslRequest, 0x16, 0x03, 0x01, ...terminate], 100);
    expect(states.at(-1)).toBe("opaque");
  });

  it("does not treat the first typed-looking bytes of a startup packet as messages", () => {
    // Without startup handling, the length's high byte would be read as a type.
    const states = feed([...startup(), ...msg("p", [...Buffer.from("pw\0")]), ...terminate], 9);
    expect(states.at(-1)).toBe("terminated");
  });
});
