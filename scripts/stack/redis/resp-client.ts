// Minimal pipelined RESP2 client over node:net/tls: reconnects lazily and fails fast instead of queueing forever.
import net from "node:net";
import tls from "node:tls";
import { encodeCommand, RespError, RespParser, type RespValue } from "./resp.ts";

export interface RespClientOptions {
  /** Bounds connecting, so a dead Redis yields an error promptly rather than a hung HTTP request. */
  connectTimeoutMs?: number;
  /** Bounds each batch; on expiry the socket is dropped because later replies could no longer be matched. */
  commandTimeoutMs?: number;
}

interface Pending {
  resolve: (value: RespValue) => void;
  reject: (error: Error) => void;
}

export class RespClient {
  private readonly url: URL;
  private readonly connectTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private socket: net.Socket | null = null;
  private connecting: Promise<net.Socket> | null = null;
  private readonly pending: Pending[] = [];
  private closed = false;

  constructor(url: string, opts: RespClientOptions = {}) {
    this.url = new URL(url);
    if (this.url.protocol !== "redis:" && this.url.protocol !== "rediss:") {
      throw new Error(`unsupported Redis URL scheme ${this.url.protocol} (want redis:// or rediss://)`);
    }
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 1000;
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 5000;
  }

  /** One command; a Redis error reply comes back as a RespError value, a connection problem as a rejection. */
  async send(args: readonly string[]): Promise<RespValue> {
    const [reply] = await this.sendBatch([args]);
    return reply ?? null;
  }

  /** Written in one go, so no other caller's command can land inside the batch (which MULTI/EXEC relies on). */
  async sendBatch(commands: readonly (readonly string[])[]): Promise<RespValue[]> {
    if (this.closed) throw new Error("redis client closed");
    const socket = await this.connect();
    const replies = commands.map(() => this.expectReply());
    socket.write(Buffer.concat(commands.map(encodeCommand)));
    const timer = setTimeout(
      () => this.drop(new Error(`redis did not answer within ${this.commandTimeoutMs} ms`)),
      this.commandTimeoutMs,
    );
    try {
      return await Promise.all(replies);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.drop(new Error("redis client closed"));
  }

  private expectReply(): Promise<RespValue> {
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  private connect(): Promise<net.Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private open(): Promise<net.Socket> {
    const host = this.url.hostname || "127.0.0.1";
    const port = Number(this.url.port || 6379);
    return new Promise((resolve, reject) => {
      const socket =
        this.url.protocol === "rediss:"
          ? tls.connect({ host, port, servername: host })
          : net.connect({ host, port });
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`cannot connect to redis at ${host}:${port}: ${error.message}`));
      };
      const timer = setTimeout(
        () => fail(new Error(`timed out after ${this.connectTimeoutMs} ms`)),
        this.connectTimeoutMs,
      );
      socket.once("error", fail);
      socket.once(this.url.protocol === "rediss:" ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        socket.off("error", fail);
        socket.setNoDelay(true);
        this.attach(socket);
        this.handshake(socket).then(
          () => resolve(socket),
          (error: Error) => fail(error),
        );
      });
    });
  }

  private attach(socket: net.Socket): void {
    const parser = new RespParser();
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      let values: RespValue[];
      try {
        values = parser.push(chunk);
      } catch (error) {
        this.drop(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      for (const value of values) this.pending.shift()?.resolve(value);
    });
    socket.on("error", (error) => this.drop(error));
    socket.on("close", () => {
      if (this.socket === socket) this.drop(new Error("redis connection closed"));
    });
  }

  /** AUTH/SELECT from the URL; they are queued before any caller's command on the fresh socket. */
  private async handshake(socket: net.Socket): Promise<void> {
    const setup: string[][] = [];
    const user = decodeURIComponent(this.url.username);
    const password = decodeURIComponent(this.url.password);
    if (password) setup.push(user ? ["AUTH", user, password] : ["AUTH", password]);
    const db = this.url.pathname.replace(/^\//, "");
    if (db) setup.push(["SELECT", db]);
    if (setup.length === 0) return;
    const replies = setup.map(() => this.expectReply());
    socket.write(Buffer.concat(setup.map(encodeCommand)));
    for (const reply of await Promise.all(replies)) {
      if (reply instanceof RespError) throw new Error(reply.message);
    }
  }

  private drop(error: Error): void {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
  }
}
