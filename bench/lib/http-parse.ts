// Reads HTTP/1.1 responses off a keep-alive socket as bytes arrive (pure: chunks in, finished responses out).

export interface ParsedResponse {
  status: number;
  /** The Cache-Status header, or null. */
  cacheStatus: string | null;
  bodyBytes: number;
}

const CRLF2 = Buffer.from("\r\n\r\n");

type Body = { kind: "length"; left: number } | { kind: "chunked"; left: number; trailer: boolean };

/**
 * Responses to requests sent one at a time per connection, as wrk sends them: a Content-Length or chunked body
 * (the only two framings a Worker answers with on a kept-alive connection), HEAD not supported.
 */
export class ResponseParser {
  #buf: Buffer = Buffer.alloc(0);
  #head: Omit<ParsedResponse, "bodyBytes"> | null = null;
  #body: Body | null = null;
  #bodyBytes = 0;

  feed(chunk: Buffer): ParsedResponse[] {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const done: ParsedResponse[] = [];
    for (;;) {
      if (this.#head === null && !this.#readHead()) break;
      if (!this.#readBody()) break;
      if (this.#head === null) throw new Error("parser state lost");
      done.push({ ...this.#head, bodyBytes: this.#bodyBytes });
      this.#head = null;
      this.#body = null;
      this.#bodyBytes = 0;
    }
    return done;
  }

  #readHead(): boolean {
    const end = this.#buf.indexOf(CRLF2);
    if (end < 0) return false;
    const lines = this.#buf.subarray(0, end).toString("latin1").split("\r\n");
    this.#buf = this.#buf.subarray(end + 4);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1]);
    if (!Number.isInteger(status)) throw new Error(`not an HTTP response: ${lines[0]}`);
    let cacheStatus: string | null = null;
    let length = 0;
    let chunked = false;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "content-length") length = Number(value);
      else if (name === "transfer-encoding") chunked = value.toLowerCase().includes("chunked");
      else if (name === "cache-status") cacheStatus = value;
    }
    this.#head = { status, cacheStatus };
    this.#body = chunked ? { kind: "chunked", left: -1, trailer: false } : { kind: "length", left: length };
    return true;
  }

  /** True once the current body is complete. */
  #readBody(): boolean {
    const body = this.#body;
    if (body === null) return false;
    if (body.kind === "length") {
      const take = Math.min(body.left, this.#buf.length);
      body.left -= take;
      this.#bodyBytes += take;
      this.#buf = this.#buf.subarray(take);
      return body.left === 0;
    }
    for (;;) {
      if (body.left < 0) {
        // A chunk-size line, or after the last chunk the (empty) trailer line.
        const eol = this.#buf.indexOf("\r\n");
        if (eol < 0) return false;
        const line = this.#buf.subarray(0, eol).toString("latin1");
        this.#buf = this.#buf.subarray(eol + 2);
        if (body.trailer) {
          if (line === "") return true;
          continue;
        }
        const size = Number.parseInt(line.split(";")[0] ?? "", 16);
        if (!Number.isFinite(size)) throw new Error(`bad chunk size: ${line}`);
        if (size === 0) body.trailer = true;
        else {
          this.#bodyBytes += size;
          body.left = size + 2; // the chunk and its CRLF
        }
        continue;
      }
      const take = Math.min(body.left, this.#buf.length);
      body.left -= take;
      this.#buf = this.#buf.subarray(take);
      if (body.left > 0) return false;
      body.left = -1;
    }
  }
}
