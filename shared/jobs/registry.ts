// The typed job registry: jobSpec (what producers know), defineJob (with its handler), createRegistry, enqueue.
import * as z from "zod/mini";
import { DEFAULT_RETRY, MAX_BACKOFF_SECONDS, type RetryPolicy } from "./backoff.ts";
import { assertEnvelopeSize, type Envelope, type RywToken } from "./envelope.ts";
import { JobPayloadError } from "./errors.ts";

export type JobContext<Services = unknown> = {
  /** the envelope id: use it as the idempotency key of side effects (e.g. outbox.job_id) */
  jobId: string;
  name: string;
  /** 1-based; counts failed attempts across retries and reruns, never holds */
  attempt: number;
  enqueuedAt: number;
  token: RywToken | undefined;
  /** the request that enqueued the job, if any */
  requestId: string | undefined;
  services: Services;
};

export type JobDefinition<
  Name extends string = string,
  Schema extends z.ZodMiniType = z.ZodMiniType,
  Services = unknown,
> = {
  name: Name;
  schema: Schema;
  retry: RetryPolicy;
  /** jobs that write are held (not run) while the site is read-only */
  writes: boolean;
  handler: (payload: z.output<Schema>, ctx: JobContext<Services>) => Promise<void>;
};

/** Any job, whatever its payload and services (a handler accepting `never` is a supertype of all handlers). */
export type AnyJob = {
  name: string;
  schema: z.ZodMiniType;
  retry: RetryPolicy;
  writes: boolean;
  handler: (payload: never, ctx: never) => Promise<void>;
};

export type Registry = Readonly<Record<string, AnyJob>>;

/** What a producer needs of a job: its name and payload schema (no handler, no services). */
export type JobSpec<Name extends string = string, Schema extends z.ZodMiniType = z.ZodMiniType> = {
  name: Name;
  schema: Schema;
  retry: RetryPolicy;
  writes: boolean;
};

/** Jobs as producers see them: specs or full definitions, keyed by name. */
export type SpecRegistry = Readonly<Record<string, { name: string; schema: z.ZodMiniType }>>;

export type JobName<R extends SpecRegistry> = keyof R & string;

/** What a caller passes to enqueue: the schema's input type. */
export type PayloadOf<R extends SpecRegistry, N extends JobName<R>> = z.input<R[N]["schema"]>;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** A handler's services; `unknown` (needs none) becomes an empty object so it cannot swallow the union. */
type ServicesOfJob<J extends AnyJob> = J["handler"] extends (
  p: never,
  ctx: JobContext<infer S>,
) => Promise<void>
  ? unknown extends S
    ? Record<never, never>
    : S
  : never;

/** The services every handler in the registry needs, merged: the jobs Worker builds one such object. */
export type ServicesOf<R extends Registry> = UnionToIntersection<
  { [K in keyof R]: ServicesOfJob<R[K]> }[keyof R]
>;

/**
 * A job as its producers know it. The consumer adds the handler with `defineJob({ ...spec, handler })`, so the
 * code that enqueues never imports what runs the job (or the services it needs).
 */
export function jobSpec<const Name extends string, Schema extends z.ZodMiniType>(def: {
  name: Name;
  schema: Schema;
  retry?: Partial<RetryPolicy>;
  writes?: boolean;
}): JobSpec<Name, Schema> {
  const retry = { ...DEFAULT_RETRY, ...def.retry };
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
    throw new Error(`job "${def.name}": retry.maxAttempts must be an integer ≥ 1`);
  }
  retry.maxDelaySeconds = Math.min(retry.maxDelaySeconds, MAX_BACKOFF_SECONDS);
  return { name: def.name, schema: def.schema, retry, writes: def.writes ?? true };
}

/** A runnable job: a spec (or its fields) and the handler. */
export function defineJob<const Name extends string, Schema extends z.ZodMiniType, Services = unknown>(def: {
  name: Name;
  schema: Schema;
  retry?: Partial<RetryPolicy>;
  writes?: boolean;
  handler: (payload: z.output<Schema>, ctx: JobContext<Services>) => Promise<void>;
}): JobDefinition<Name, Schema, Services> {
  return { ...jobSpec(def), handler: def.handler };
}

/** Jobs (specs or definitions) keyed by name; a name defined twice is a mistake caught at start. */
export function createRegistry<const Jobs extends readonly { name: string }[]>(
  ...jobs: Jobs
): { readonly [J in Jobs[number] as J["name"]]: J } {
  const registry: Record<string, Jobs[number]> = {};
  for (const job of jobs) {
    if (job.name in registry) throw new Error(`job "${job.name}" is defined twice`);
    registry[job.name] = job;
  }
  return registry as { readonly [J in Jobs[number] as J["name"]]: J };
}

/** Parse a payload against a job's schema, with a message that says which job and which field. */
export function parsePayload(job: { name: string; schema: z.ZodMiniType }, payload: unknown): unknown {
  const result = job.schema.safeParse(payload);
  if (!result.success) {
    throw new JobPayloadError(`invalid payload for job "${job.name}": ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

export type EnqueueOptions = {
  delaySeconds?: number;
  /** the read-your-writes token of the write that caused this job */
  token?: RywToken;
  /** reuse an id to make the enqueue itself idempotent (e.g. derived from a row id) */
  id?: string;
  /** the request that caused it, carried into the job's logs */
  requestId?: string;
};

/** Validate and wrap a payload; pure apart from the uuid and clock, which can be injected. */
export function buildEnvelope<R extends SpecRegistry, N extends JobName<R>>(
  registry: R,
  name: N,
  payload: PayloadOf<R, N>,
  opts: EnqueueOptions = {},
  now: () => number = Date.now,
  uuid: () => string = () => crypto.randomUUID(),
): Envelope<N> {
  const job = registry[name];
  if (job === undefined) throw new JobPayloadError(`unknown job "${name}"`);
  parsePayload(job, payload);
  const envelope: Envelope<N> = { id: opts.id ?? uuid(), name, payload, enqueuedAt: now() };
  if (opts.token !== undefined) envelope.token = opts.token;
  if (opts.requestId !== undefined) envelope.requestId = opts.requestId;
  assertEnvelopeSize(envelope);
  return envelope;
}

export type JobQueue = Pick<Queue<Envelope>, "send">;

/** Send a job. Call it after the transaction that caused it has committed (Disqus "delayed signals"). */
export async function enqueue<R extends SpecRegistry, N extends JobName<R>>(
  queue: JobQueue,
  registry: R,
  name: N,
  payload: PayloadOf<R, N>,
  opts: EnqueueOptions = {},
): Promise<Envelope<N>> {
  const envelope = buildEnvelope(registry, name, payload, opts);
  await queue.send(envelope, opts.delaySeconds === undefined ? {} : { delaySeconds: opts.delaySeconds });
  return envelope;
}

/** `enqueue` bound to one registry: `send(env.JOBS, "send-confirmation", payload, { token })`. */
export function createEnqueue<R extends SpecRegistry>(registry: R) {
  return <N extends JobName<R>>(
    queue: JobQueue,
    name: N,
    payload: PayloadOf<R, N>,
    opts: EnqueueOptions = {},
  ) => enqueue(queue, registry, name, payload, opts);
}
