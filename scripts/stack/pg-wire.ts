// Follows the client → server half of a Postgres connection just far enough to spot Terminate ('X').

/**
 * Why: the Neon driver's `Client.end()` never closes its WebSocket (pg calls `write(buf, cb)` and the
 * driver takes `cb` as the encoding), so the bridge must hang up itself when the client says goodbye.
 *
 * Framing: startup-phase packets (SSLRequest, GSSENCRequest, CancelRequest, StartupMessage) are
 * int32 length + int32 code, no type byte; after the StartupMessage every message is a type byte +
 * int32 length (counting itself). If the client starts TLS we can no longer read the stream.
 */
export type WireState = "watching" | "terminated" | "opaque";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 0x58; // 'X'
const TLS_HANDSHAKE = 0x16;

export function createTerminateWatcher(): (chunk: Uint8Array) => WireState {
  let state: WireState = "watching";
  let phase: "startup" | "negotiated" | "typed" = "startup";
  const header = new Uint8Array(8);
  let headerLen = 0;
  let skip = 0;

  const int32 = (at: number) =>
    ((header[at] ?? 0) << 24) |
    ((header[at + 1] ?? 0) << 16) |
    ((header[at + 2] ?? 0) << 8) |
    (header[at + 3] ?? 0);

  return (chunk) => {
    let i = 0;
    while (state === "watching" && i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      if (phase === "negotiated") {
        // The server answered an SSL/GSS request; a TLS record here means the rest is encrypted.
        if (chunk[i] === TLS_HANDSHAKE) state = "opaque";
        phase = "startup";
        continue;
      }
      const want = phase === "startup" ? 8 : 5;
      header[headerLen++] = chunk[i++] ?? 0;
      if (headerLen < want) continue;
      headerLen = 0;
      if (phase === "startup") {
        const code = int32(4);
        skip = Math.max(0, int32(0) - 8);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) phase = "negotiated";
        else if (code !== CANCEL_REQUEST) phase = "typed";
      } else {
        const length = int32(1);
        if (header[0] === TERMINATE && length === 4) state = "terminated";
        skip = Math.max(0, length - 4);
      }
    }
    return state;
  };
}
