// The fake Cloudflare account the fake wrangler acts on, kept in a JSON file between invocations.
import { createHash } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

export interface Version {
  id: string;
  number: number;
  created_on: string;
  /** "upload" (deploy), "version_upload", "secret", "rollback". */
  triggered_by: string;
  tag: string | null;
  message: string | null;
  migration_tag: string | null;
}

export interface Deployment {
  id: string;
  created_on: string;
  versions: { version_id: string; percentage: number }[];
  triggered_by: string;
  message: string | null;
}

export interface Worker {
  name: string;
  secrets: Record<string, string>;
  versions: Version[];
  deployments: Deployment[];
  /** The last applied Durable Object migration tag. */
  migration_tag: string | null;
  /** Triggers of the last full deploy (queues it produces to and consumes, routes). */
  routes: string[];
  producers: string[];
  consumers: string[];
}

export interface Account {
  account: { id: string; name: string; email: string; subdomain: string };
  /** Zones on the account, for routes (`zone_name`). */
  zones: string[];
  kv: { id: string; title: string }[];
  buckets: { name: string; creation_date: string; cors: unknown[] | null }[];
  queues: { queue_id: string; queue_name: string; created_on: string }[];
  workers: Record<string, Worker>;
  /** Events so far; ids and times derive from it, so runs are reproducible. */
  n: number;
}

export function emptyAccount(): Account {
  return {
    account: { id: "acc123", name: "Example Account", email: "person@example.com", subdomain: "example" },
    zones: ["example.com"],
    kv: [],
    buckets: [],
    queues: [],
    workers: {},
    n: 0,
  };
}

export class State {
  // Plain fields, not parameter properties: Node runs this file with type stripping only.
  readonly dir: string;
  readonly data: Account;

  constructor(dir: string, data: Account) {
    this.dir = dir;
    this.data = data;
  }

  /** Loads the account and holds its lock until `save`: calls may run in parallel, like on a real account. */
  static load(dir: string): State {
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, "state.lock");
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let tries = 0; ; tries++) {
      try {
        mkdirSync(lock);
        break;
      } catch {
        const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        // A lock left by a killed call: nothing holds it for seconds.
        if (tries > 1000 || age > 10_000) {
          rmSync(lock, { recursive: true, force: true });
        }
        Atomics.wait(pause, 0, 0, 10);
      }
    }
    const file = join(dir, "state.json");
    const data = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Account) : emptyAccount();
    return new State(dir, data);
  }

  save(): void {
    const file = join(this.dir, "state.json");
    writeFileSync(`${file}.tmp`, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    this.release();
  }

  release(): void {
    rmSync(join(this.dir, "state.lock"), { recursive: true, force: true });
  }

  record(entry: Record<string, unknown>): void {
    appendFileSync(join(this.dir, "calls.ndjson"), `${JSON.stringify(entry)}\n`);
  }

  private digest(kind: string): string {
    this.data.n++;
    return createHash("sha1").update(`${kind}${this.data.n}`).digest("hex");
  }

  uuid(): string {
    const h = this.digest("uuid");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  hex32(): string {
    return this.digest("hex").slice(0, 32);
  }

  /** One fake minute per event from 2025-01-01, like the captures. */
  now(): string {
    return new Date(Date.UTC(2025, 0, 1, 0, this.data.n, 0)).toISOString();
  }

  worker(name: string): Worker | undefined {
    return this.data.workers[name];
  }

  createWorker(name: string): Worker {
    const w: Worker = {
      name,
      secrets: {},
      versions: [],
      deployments: [],
      migration_tag: null,
      routes: [],
      producers: [],
      consumers: [],
    };
    this.data.workers[name] = w;
    return w;
  }

  addVersion(
    w: Worker,
    fields: Pick<Version, "triggered_by" | "tag" | "message" | "migration_tag">,
  ): Version {
    const id = this.uuid();
    const v: Version = { id, number: w.versions.length + 1, created_on: this.now(), ...fields };
    w.versions.push(v);
    return v;
  }

  addDeployment(
    w: Worker,
    versions: Deployment["versions"],
    triggered_by: string,
    message: string | null,
  ): Deployment {
    const d: Deployment = { id: this.uuid(), created_on: this.now(), versions, triggered_by, message };
    w.deployments.push(d);
    return d;
  }
}

export const latestDeployment = (w: Worker): Deployment | undefined => w.deployments.at(-1);
