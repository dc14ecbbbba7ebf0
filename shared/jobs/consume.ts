// The jobs Worker's queue() handlers: run each message once (ledger), retry with backoff, hold, or record it dead.
import { log } from "../log/index.ts";
import { type Envelope, envelopeSchema } from "./envelope.ts";
import { errorText, isHold, isPermanent, JobPayloadError, requestedDelay } from "./errors.ts";
import { decide, type Failure } from "./outcome.ts";
import { type JobContext, type JobQueue, parsePayload, type Registry, type ServicesOf } from "./registry.ts";
import type { DeadJobs, Ledger } from "./store.ts";

export type JobEvent = {
  event: "job";
  outcome: "done" | "duplicate" | "retry" | "hold" | "dead" | "dead-lettered" | "store-error";
  jobId: string;
  name: string;
  attempt: number;
  delaySeconds?: number;
  error?: string;
};

export type ConsumerDeps<R extends Registry> = {
  ledger: Ledger;
  dead: DeadJobs;
  /** producer of the same queue: held jobs are re-enqueued as fresh copies so holds never count as attempts */
  queue: JobQueue;
  services: ServicesOf<R>;
  /** when true, jobs declared `writes` are held without being run */
  readOnly?: () => boolean | Promise<boolean>;
  /** extra hold detection, e.g. the data layer's read-only error (HoldError and SQLSTATE 25006 always count) */
  isHold?: (err: unknown) => boolean;
  random?: () => number;
  log?: (event: JobEvent) => void;
  /** a job that died of an error (not a hold): the error tracker's hook */
  onDead?: (error: unknown, job: { jobId: string; name: string; requestId: string | null }) => void;
};

type DepsArg<D, E> = D | ((env: E, ctx: ExecutionContext) => D | Promise<D>);

async function resolve<D extends object, E>(deps: DepsArg<D, E>, env: E, ctx: ExecutionContext): Promise<D> {
  return typeof deps === "function" ? deps(env, ctx) : deps;
}

const jsonLog = (event: JobEvent) => {
  const level =
    event.outcome === "dead" || event.outcome === "store-error"
      ? "error"
      : event.outcome === "retry"
        ? "warn"
        : "info";
  log[level]("job", event);
};

/** Best-effort identity of a message that failed envelope validation. */
function looseIdentity(msg: Message<unknown>): {
  jobId: string;
  name: string;
  payload: unknown;
  base: number;
  requestId?: string | undefined;
} {
  const body = msg.body;
  if (typeof body !== "object" || body === null)
    return { jobId: `msg:${msg.id}`, name: "unknown", payload: body, base: 0 };
  const b = body as Record<string, unknown>;
  return {
    jobId: typeof b.id === "string" && b.id !== "" ? b.id : `msg:${msg.id}`,
    name: typeof b.name === "string" && b.name !== "" ? b.name : "unknown",
    payload: "payload" in b ? b.payload : body,
    base: typeof b.attempt === "number" && Number.isInteger(b.attempt) && b.attempt >= 0 ? b.attempt : 0,
  };
}

export function createConsumer<R extends Registry, E = unknown>(
  registry: R,
  depsArg: DepsArg<ConsumerDeps<R>, E>,
) {
  return async (batch: MessageBatch<unknown>, env: E, ctx: ExecutionContext): Promise<void> => {
    const deps = await resolve(depsArg, env, ctx);
    const log = deps.log ?? jsonLog;
    const holdCheck = (err: unknown) => isHold(err) || (deps.isHold?.(err) ?? false);
    let readOnly: boolean | undefined;
    const isReadOnly = async () => {
      readOnly ??= (await deps.readOnly?.()) ?? false;
      return readOnly;
    };

    const handle = async (msg: Message<unknown>): Promise<void> => {
      const parsed = envelopeSchema.safeParse(msg.body);
      const ident = parsed.success
        ? {
            jobId: parsed.data.id,
            name: parsed.data.name,
            payload: parsed.data.payload,
            base: parsed.data.attempt ?? 0,
            requestId: parsed.data.requestId,
          }
        : looseIdentity(msg);
      const attempt = ident.base + msg.attempts;
      const holds = parsed.success ? (parsed.data.holds ?? 0) : 0;
      const job = registry[ident.name];
      const base = {
        event: "job" as const,
        jobId: ident.jobId,
        name: ident.name,
        attempt,
        ...(ident.requestId ? { requestId: ident.requestId } : {}),
      };

      const fail = async (failure: Failure, err: unknown) => {
        const policy = job?.retry ?? { maxAttempts: 1, baseDelaySeconds: 1, maxDelaySeconds: 1 };
        const out = decide(failure, attempt, holds, policy, {
          requestedDelay: requestedDelay(err),
          random: deps.random,
        });
        const error = errorText(err);
        if (out.action === "retry") {
          msg.retry({ delaySeconds: out.delaySeconds });
          log({ ...base, outcome: "retry", delaySeconds: out.delaySeconds, error });
          return;
        }
        if (out.action === "hold" && parsed.success) {
          // A fresh copy restarts Queues' attempt counter; `attempt` carries the failures spent so far.
          const copy: Envelope = { ...parsed.data, attempt: attempt - 1, holds: holds + 1 };
          try {
            await deps.queue.send(copy, { delaySeconds: out.delaySeconds });
            msg.ack();
          } catch (sendErr) {
            // Not lost: the platform retries it (this hold then counts as an attempt).
            msg.retry({ delaySeconds: out.delaySeconds });
            log({ ...base, outcome: "store-error", error: errorText(sendErr) });
            return;
          }
          log({ ...base, outcome: "hold", delaySeconds: out.delaySeconds, error });
          return;
        }
        try {
          await deps.dead.record({
            jobId: ident.jobId,
            name: ident.name,
            payload: ident.payload,
            error,
            attempts: attempt,
            requestId: ident.requestId ?? null,
          });
          msg.ack();
          log({ ...base, outcome: "dead", error });
          deps.onDead?.(err, { jobId: ident.jobId, name: ident.name, requestId: ident.requestId ?? null });
        } catch (storeErr) {
          msg.retry({ delaySeconds: 30 });
          log({ ...base, outcome: "store-error", error: errorText(storeErr) });
        }
      };

      if (!parsed.success)
        return fail("invalid", new JobPayloadError(`malformed job envelope: ${parsed.error.message}`));
      try {
        if (await deps.ledger.has(ident.jobId)) {
          msg.ack();
          log({ ...base, outcome: "duplicate" });
          return;
        }
      } catch (err) {
        return fail("error", err);
      }
      if (job === undefined) return fail("invalid", new JobPayloadError(`unknown job "${ident.name}"`));
      let payload: unknown;
      try {
        payload = parsePayload(job, ident.payload);
      } catch (err) {
        return fail("invalid", err);
      }
      if (job.writes && (await isReadOnly().catch(() => false))) {
        return fail("hold", new Error("site is read-only; write job held"));
      }
      const jobCtx: JobContext<ServicesOf<R>> = {
        jobId: ident.jobId,
        name: ident.name,
        attempt,
        enqueuedAt: parsed.data.enqueuedAt,
        token: parsed.data.token,
        requestId: parsed.data.requestId,
        services: deps.services,
      };
      try {
        // The registry erases each handler's payload and services types; the schema parse above restores them.
        const run = job.handler as (payload: unknown, ctx: JobContext<ServicesOf<R>>) => Promise<void>;
        await run(payload, jobCtx);
        await deps.ledger.record(ident.jobId, ident.name);
      } catch (err) {
        return fail(holdCheck(err) ? "hold" : isPermanent(err) ? "invalid" : "error", err);
      }
      msg.ack();
      log({ ...base, outcome: "done" });
    };

    await Promise.all(batch.messages.map(handle));
  };
}

export type DeadLetterDeps = {
  dead: DeadJobs;
  /** a job the ledger knows finished is not recorded dead (its ack was lost, not its work) */
  ledger?: Ledger;
  /** the main queue's max_retries, to record how many deliveries the platform made */
  platformMaxRetries?: number;
  log?: (event: JobEvent) => void;
};

/** Consumer for the platform dead-letter queue: records whatever arrives (miniflare drops it otherwise). */
export function createDeadLetterConsumer<E = unknown>(depsArg: DepsArg<DeadLetterDeps, E>) {
  return async (batch: MessageBatch<unknown>, env: E, ctx: ExecutionContext): Promise<void> => {
    const deps = await resolve(depsArg, env, ctx);
    const log = deps.log ?? jsonLog;
    const deliveries = (deps.platformMaxRetries ?? 3) + 1;
    await Promise.all(
      batch.messages.map(async (msg) => {
        const ident = looseIdentity(msg);
        const attempt = ident.base + deliveries;
        const base = { event: "job" as const, jobId: ident.jobId, name: ident.name, attempt };
        try {
          if (deps.ledger && (await deps.ledger.has(ident.jobId))) {
            msg.ack();
            log({ ...base, outcome: "duplicate" });
            return;
          }
          const error = `dead-lettered by Queues after ${deliveries} deliveries (queue ${batch.queue})`;
          await deps.dead.record({
            jobId: ident.jobId,
            name: ident.name,
            payload: ident.payload,
            error,
            attempts: attempt,
          });
          msg.ack();
          log({ ...base, outcome: "dead-lettered", error });
        } catch (err) {
          msg.retry({ delaySeconds: 30 });
          log({ ...base, outcome: "store-error", error: errorText(err) });
        }
      }),
    );
  };
}
