// RESP2 wire format: encode commands and replies, and parse either incrementally from a byte stream.

/** An error reply (`-ERR …`); a value, not a thrown exception, so pipelines keep their other results. */
export class RespError {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

/** A simple-string reply (`+OK`); kept apart from bulk strings because Upstash's base64 mode treats "OK" specially. */
export class RespStatus {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
}

export type RespValue = Buffer | number | null | RespStatus | RespError | RespValue[];

const CRLF = "\r\n";

export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}${CRLF}`)];
  for (const arg of args) {
    const bytes = Buffer.from(arg, "utf8");
    parts.push(Buffer.from(`$${bytes.length}${CRLF}`), bytes, Buffer.from(CRLF));
  }
  return Buffer.concat(parts);
}

export function encodeReply(value: RespValue): Buffer {
  if (value === null) return Buffer.from(`$-1${CRLF}`);
  if (typeof value === "number") return Buffer.from(`:${Math.trunc(value)}${CRLF}`);
  if (value instanceof RespStatus) return Buffer.from(`+${value.value}${CRLF}`);
  if (value instanceof RespError) return Buffer.from(`-${value.message.replace(/\r?\n/g, " ")}${CRLF}`);
  if (Buffer.isBuffer(value)) {
    return Buffer.concat([Buffer.from(`$${value.length}${CRLF}`), value, Buffer.from(CRLF)]);
  }
  return Buffer.concat([Buffer.from(`*${value.length}${CRLF}`), ...value.map(encodeReply)]);
}

type Parsed = { value: RespValue; next: number } | undefined;

function parseAt(buf: Buffer, pos: number): Parsed {
  if (pos >= buf.length) return undefined;
  const end = buf.indexOf(CRLF, pos);
  if (end < 0) return undefined;
  const type = String.fromCharCode(buf[pos] ?? 0);
  const line = buf.toString("utf8", pos + 1, end);
  const next = end + 2;
  switch (type) {
    case "+":
      return { value: new RespStatus(line), next };
    case "-":
      return { value: new RespError(line), next };
    case ":":
      return { value: Number(line), next };
    case "$": {
      const len = Number(line);
      if (len < 0) return { value: null, next };
      if (buf.length < next + len + 2) return undefined;
      return { value: buf.subarray(next, next + len), next: next + len + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseAt(buf, at);
        if (!item) return undefined;
        items.push(item.value);
        at = item.next;
      }
      return { value: items, next: at };
    }
    default:
      throw new Error(`RESP protocol error: unexpected type byte ${JSON.stringify(type)}`);
  }
}

/** Accumulates socket chunks and yields every complete value; a partial value waits for the next chunk. */
export class RespParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): RespValue[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: RespValue[] = [];
    let pos = 0;
    for (;;) {
      const parsed = parseAt(this.buf, pos);
      if (!parsed) break;
      out.push(parsed.value);
      pos = parsed.next;
    }
    // Copy the remainder so a huge consumed prefix is not kept alive by a subarray view.
    this.buf = pos === 0 ? this.buf : Buffer.from(this.buf.subarray(pos));
    return out;
  }
}
