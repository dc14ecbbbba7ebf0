// Miniflare options for the Workers the integration tests run beside the edge, read from their wrangler configs:
// names and bindings are declared once (in the configs); only test-only settings are added here.
import { unstable_readConfig } from "wrangler";

/** The part of wrangler's resolved config this module reads. */
export interface ResolvedConfig {
  name?: string;
  compatibility_date?: string;
  compatibility_flags: string[];
  vars: Record<string, unknown>;
  kv_namespaces: { binding: string; id?: string }[];
  r2_buckets: { binding: string; bucket_name?: string }[];
  services?: { binding: string; service?: string }[];
  durable_objects?: { bindings?: { name: string; class_name: string; script_name?: string }[] };
  migrations?: { tag: string; new_sqlite_classes?: string[] }[];
  queues: {
    producers?: { binding: string; queue: string }[];
    consumers?: {
      queue: string;
      max_batch_size?: number;
      max_batch_timeout?: number;
      max_retries?: number;
      dead_letter_queue?: string;
    }[];
  };
}

export interface TestOnly {
  /** Values that win over the config's [vars]: the local stack's URLs and secrets. */
  vars?: Record<string, string>;
  /** Workers that run under another name in the tests: config name → test name. */
  services?: Record<string, string>;
  /** Seconds a consumer waits to fill a batch; short in tests so jobs run promptly. */
  maxBatchTimeout?: number;
}

export interface TestWorker {
  name: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  modules: true;
  bindings: Record<string, string>;
  kvNamespaces: Record<string, string>;
  r2Buckets: Record<string, string>;
  serviceBindings: Record<string, string>;
  durableObjects: Record<string, { className: string; scriptName?: string; useSQLite?: boolean }>;
  queueProducers: Record<string, { queueName: string }>;
  queueConsumers: Record<
    string,
    { maxBatchSize?: number; maxBatchTimeout?: number; maxRetries?: number; deadLetterQueue?: string }
  >;
}

/** A wrangler config as wrangler resolves it, for one environment ("" or none: the top level). */
export function readConfig(config: string, env = ""): ResolvedConfig {
  return unstable_readConfig(
    { config, env: env || undefined },
    { hideWarnings: true },
  ) as unknown as ResolvedConfig;
}

/** Date and flags, for a Worker the tests build without a config (the unit tests' runtime). */
export function runtimeOf(c: ResolvedConfig): { compatibilityDate: string; compatibilityFlags: string[] } {
  if (!c.compatibility_date) throw new Error(`${c.name ?? "a Worker"} has no compatibility_date`);
  return { compatibilityDate: c.compatibility_date, compatibilityFlags: c.compatibility_flags };
}

/** Pure: one Worker's miniflare options from its resolved config plus the test-only settings. */
export function testWorker(c: ResolvedConfig, t: TestOnly = {}): TestWorker {
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const vars = Object.fromEntries(Object.entries(c.vars).map(([k, v]) => [k, String(v)]));
  return {
    name: c.name ?? "",
    ...runtimeOf(c),
    modules: true,
    bindings: { ...vars, ...t.vars },
    kvNamespaces: Object.fromEntries(c.kv_namespaces.map((k) => [k.binding, k.id ?? k.binding])),
    r2Buckets: Object.fromEntries(c.r2_buckets.map((b) => [b.binding, b.bucket_name ?? b.binding])),
    serviceBindings: Object.fromEntries(
      (c.services ?? []).map((s) => [s.binding, t.services?.[s.service ?? ""] ?? s.service ?? ""]),
    ),
    // A class this Worker hosts (SQLite-backed when its migration says so), or one it binds by script name.
    durableObjects: Object.fromEntries(
      (c.durable_objects?.bindings ?? []).map((d) => [
        d.name,
        d.script_name
          ? { className: d.class_name, scriptName: t.services?.[d.script_name] ?? d.script_name }
          : {
              className: d.class_name,
              useSQLite: (c.migrations ?? []).some((m) => m.new_sqlite_classes?.includes(d.class_name)),
            },
      ]),
    ),
    queueProducers: Object.fromEntries(
      (c.queues.producers ?? []).map((p) => [p.binding, { queueName: p.queue }]),
    ),
    queueConsumers: Object.fromEntries(
      (c.queues.consumers ?? []).map((q) => [
        q.queue,
        defined({
          maxBatchSize: q.max_batch_size,
          maxBatchTimeout: t.maxBatchTimeout ?? q.max_batch_timeout,
          maxRetries: q.max_retries,
          deadLetterQueue: q.dead_letter_queue,
        }),
      ]),
    ),
  };
}
